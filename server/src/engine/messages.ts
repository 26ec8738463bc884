import { FIELD_MESSAGES, messageCatalog } from './message-catalog';
import { CONTEXT_MESSAGES, TARGET_MESSAGES } from './request-messages';

/**
 * Every message the server sends to an editor, by id, as an English template: `{name}` for a
 * value, `{name, number}` for a number written with separators, `{count, plural, one {…} other
 * {…}}` where a count changes the words (the ICU syntax the admin's react-intl formats). A refusal carries the id and its values beside the English text
 * (`messageId`, `values`), so that the admin shows it in the editor's language: its translations
 * hold `apiError.<id>` for each id here (test/unit/admin-translations.test.ts checks both files).
 * Those of fields, visitor contexts and targets are kept apart (message-catalog.ts,
 * request-messages.ts): the edge bundle carries only them.
 */
export const MESSAGES = {
  ...FIELD_MESSAGES,
  ...CONTEXT_MESSAGES,

  // A JSON-logic rule (engine/rules.ts, engine/rule-cost.ts).
  'rule.notFinite': 'numbers must be finite',
  'rule.notJsonValue': 'only JSON values are allowed',
  'rule.notJsonType': 'only JSON values are allowed, not {type}',
  'rule.tooDeep': 'the rule is nested more than {max} levels deep',
  'rule.emptyOperation': 'an operation needs exactly one operator, found an empty object',
  'rule.manyOperators': 'an operation needs exactly one operator, found {count} keys ({keys})',
  'rule.listTooLong': 'a list may have at most {max} items, this one has {count}',
  'rule.operatorNotAllowed': 'operator {operator} is not allowed',
  'rule.operatorLoops':
    'operator {operator} is not allowed: it loops over lists the rule builds itself, and can exhaust memory',
  'rule.operatorSlow':
    'operator {operator} is not allowed: a tiny rule can run for minutes or crash the server',
  'rule.operatorHuge':
    'operator {operator} is not allowed: a tiny rule can build huge lists and crash the server',
  'rule.operatorMethod': 'operator {operator} is not allowed: it would call methods of the data',
  'rule.operatorLog': 'operator {operator} is not allowed: it writes to the server log',
  'rule.operatorAlias': 'operator {operator} is not allowed: write "if" instead',
  'rule.arity':
    '{operator} takes {count, plural, one {# argument} other {# arguments}}, found {found}',
  'rule.arityAtLeast':
    '{operator} takes at least {min, plural, one {# argument} other {# arguments}}, found {found}',
  'rule.arityRange': '{operator} takes {min} or {max} arguments, found {found}',
  'rule.missingSomeCount': '"missing_some" needs a literal count (a whole number) first',
  'rule.missingSomeList': '"missing_some" needs a literal list of paths as its second argument',
  'rule.iteratorNesting': '"some", "all" and "none" may be nested at most {max} levels deep',
  'rule.iteratorSource':
    'the first argument of {operator} must be a "var" naming a list of the visitor context',
  'rule.iteratorDefault':
    'the list of {operator} comes from the visitor context: its "var" may have no default other than [] or null',
  'rule.emptyValue': 'the value to compare with is empty',
  'rule.varArguments': '"var" takes a path and an optional default, found {count} arguments',
  'rule.unknownField': 'the visitor context has no field {field}',
  'rule.pathComputed':
    'the path of {operator} must be a literal string or number, not a computed value',
  'rule.pathNotLiteral': 'the path of {operator} must be a literal string or number, not {kind}',
  'rule.pathForbidden': '{segment} is not allowed in a path ({path})',
  'rule.cycle': 'the rule refers to itself (a cycle)',
  'rule.tooLarge': 'the rule is larger than {max} bytes',
  'rule.tooDeeplyNested': 'rule is too deeply nested',
  'rule.notJson': 'the rule is not JSON',
  'rule.notOperation': 'a rule is an operation such as {example}, or true/false',
  'rule.unreadable': 'the rule could not be read: {reason}',
  'rule.tooExpensive':
    'the rule is too expensive to evaluate for every visitor (up to {cost, number} work units, at most {max, number}); most of the work is here: simplify this part',
  'rule.tooExpensiveInList':
    'the rule is too expensive to evaluate for every visitor (up to {cost, number} work units, at most {max, number}); most of the work is here, once for every item of the list: simplify this part',

  // Personas and journey stages.
  'classification.slugTaken': '"{slug}" is already used',
  'classification.stageOrder': "expected the {count} stages' documentIds, each once",
  'classification.inUse':
    'used by {count, plural, one {# variant version} other {# variant versions}}; delete or retarget them first',

  // Variants, their target entry and overrides.
  ...TARGET_MESSAGES,
  'variant.noPersona': 'no persona with slug "{slug}"',
  'variant.noStage': 'no stage with slug "{slug}"',
  'variant.switchedOff': 'variants are switched off for this type in the settings',
  'variant.singleType': 'must be null or omitted for a single type',
  'variant.unknownLocale': "not one of the app's locales",
  'variant.noEntry': 'no such entry',
  'variant.notLocalized': 'this content type is not localized',
  'override.notObject': 'expected an object',
  'override.unknownAttribute': 'unknown attribute "{name}" of {type}',
  'override.managed': 'attribute "{name}" cannot be overridden: it is managed by Strapi',
  'override.private': 'attribute "{name}" cannot be overridden: it is private',
  'override.type': 'attribute "{name}" cannot be overridden: it is a {type} attribute',
  'override.noFile': 'attribute "{name}": no file with id {ids}',

  // Experiments.
  'experiment.controlArm': 'exactly one arm has the key "{key}"',
  'experiment.armKeysUnique': 'arm keys must be unique',
  'experiment.goalsUnique': 'each goal only once',
  'experiment.secondaryIsPrimary': '"{goal}" is already the primary goal',
  'experiment.scheduleOrder': 'The end must come after the start',
  'experiment.endPassed': 'The end ({endAt}) has already passed',
  'experiment.startFixed': 'The start cannot change once the experiment has started',
  'experiment.armNotOfEntry': 'Arm "{arm}": "{variant}" is not a variant of this entry',
  'experiment.armNotOfEntryInLocale':
    'Arm "{arm}": "{variant}" is not a variant of this entry in locale "{locale}"',
  'experiment.keyTaken': 'The key "{key}" is already used by another experiment',
  'experiment.renameOnly': 'A completed experiment can only be renamed ({fields} given)',
  'experiment.fixedOnceStarted':
    '{fields} cannot change once the experiment has started: it would move visitors between arms or mix data',
  'experiment.cannotStart': 'Only a draft or paused experiment can start; this one is {status}',
  'experiment.armNotPublished': 'Arm "{arm}": its variant is not published; publish it first',
  'experiment.alreadyRunning':
    'The experiment "{name}" ({key}) is already running on this entry; pause or complete it first',
  'experiment.alreadyRunningInLocale':
    'The experiment "{name}" ({key}) is already running on this entry in locale "{locale}"; pause or complete it first',
  'experiment.cannotPause': 'Only a running experiment can pause; this one is {status}',
  'experiment.cannotComplete':
    'Only a running or paused experiment can complete; this one is {status}',
  'experiment.notAnArm': '"{winner}" is not an arm of this experiment',
  'experiment.baselineTooHigh': 'The baseline rate raised by the effect must stay below 100%',
  'experiment.noSampleSize': 'No sample size for these rates: {reason}',
  'experiment.promoteNeedsWinner': 'Only a completed experiment with a winner can be promoted',
  'experiment.promoteBase':
    'The winner "{arm}" is the base entry itself: there is nothing to promote',
  'experiment.winnerUnpublished':
    "The winner's variant is no longer published, so what the experiment served is gone; publish it again to promote it",
  'experiment.entryGone': 'The entry no longer exists in locale "{locale}"',

  // Preview links.
  'previewLink.empty':
    'A preview link forces a persona, a stage or an experiment: name at least one',
  'previewLink.armWithoutExperiment': 'An arm needs the experiment it belongs to',
  'previewLink.noExperiment': 'No experiment has the key "{key}"',
  'previewLink.notAnArm': '"{arm}" is not an arm of the experiment "{key}"',

  // The impact report.
  'impact.range': 'The start ({from}) must not be after the end ({to})',

  // Settings.
  'settings.unknownType': 'not an api:: content type: {uid}',
  'settings.holdoutNeedsPublish':
    'Changing the holdout changes what visitors get on every content type: your role may not publish entries of {type} in the Content Manager',
  'settings.needsPublish':
    'Switching variants of {type} on or off changes what visitors get: your role may not publish its entries in the Content Manager',

  // The Content Manager's permissions (utils/content-access.ts); {action}: read, update or publish.
  'access.type': 'Your role may not {action} entries of {type} in the Content Manager',
  'access.entry': 'Your role may not {action} {entry} in the Content Manager',
  'access.entryInLocale':
    'Your role may not {action} {entry} in locale "{locale}" in the Content Manager',
  'access.entryGone':
    "The entry {entry} no longer exists, so your role's conditions cannot be checked on it",
  'access.entryGoneInLocale':
    'The entry {entry} in locale "{locale}" no longer exists, so your role\'s conditions cannot be checked on it',
  'access.field': 'Your role may not update the field "{field}" of {type} in the Content Manager',

  // Gone, e.g. deleted in another tab.
  'notFound.persona': 'No persona with documentId "{documentId}"',
  'notFound.stage': 'No journey stage with documentId "{documentId}"',
  'notFound.interest': 'No interest with documentId "{documentId}"',
  'signals.unknownInterest': 'No interest has the slug "{slug}"',
  'profiles.personalData':
    'These traits usually hold personal data and are refused (profiles.allowPersonalData): {keys}',
  'notFound.variant': 'No variant with documentId "{documentId}"',
  'notFound.experiment': 'No experiment with documentId "{documentId}"',
  'notFound.draftEntry': 'No draft entry in locale "{locale}"',
  'notFound.publishedEntry': 'No published entry in locale "{locale}"',
} as const;

export type MessageId = keyof typeof MESSAGES;

/**
 * Refusals that Strapi itself words on the plugin's routes (its RBAC policy), translated by their
 * text as Strapi's `useAPIErrorHandler` looks them up (`apiError.<message>`).
 */
export const STRAPI_MESSAGES = ['Policy Failed'] as const;

export type MessageValues = Readonly<Record<string, string | number>>;

/**
 * What a refusal or an issue says: the English text and, for a message of MESSAGES, its id and
 * values, which the admin needs to say it in the editor's language.
 */
export interface IssueMessage {
  message: string;
  messageId?: MessageId;
  values?: MessageValues;
}

/** A message of MESSAGES. */
export interface Message extends IssueMessage {
  messageId: MessageId;
}

/** The wording of every message of MESSAGES (message-catalog.ts): the server's refusals. */
export const { messageOf, refinement, messageOfZodIssue } = messageCatalog(MESSAGES);
