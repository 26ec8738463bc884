import { createHash } from 'node:crypto';

import type { Core } from '@strapi/strapi';

import type { PluginConfig } from '../config';
import { PLUGIN_ID } from '../constants';
import { SNAPSHOT_FORMAT, type Snapshot, type SnapshotType } from '../contracts';
import { compareText } from '../engine/classification';
import { compareVariants } from '../engine/selection';
import type { CompiledRule } from '../engine/types';
import { targetKey } from '../registry';
import { getService } from '../utils/get-service';
import { isLocalized, targetContentTypes } from '../utils/targets';

/** What a snapshot says of a rule: its logic; no rule is null. */
const logicOf = (rule: CompiledRule | null) => (rule === null ? null : rule.logic);

/**
 * The edge snapshot (docs/edge.md): built from the in-memory registry, so it says exactly what
 * this instance decides with, and rebuilt only when the registry changed. Its version is a hash
 * of its content: instances holding the same registry answer the same version and ETag.
 */
const snapshot = ({ strapi }: { strapi: Core.Strapi }) => {
  let built: {
    generation: number;
    defaultLocale: string;
    snapshot: Snapshot;
    json: string;
  } | null = null;

  const types = (): SnapshotType[] => {
    const { registry } = getService(strapi, 'registryLoader');
    return targetContentTypes(strapi)
      .filter((contentType) => registry.isEnabled(contentType.uid))
      .map((contentType) => ({
        uid: contentType.uid,
        name:
          contentType.kind === 'singleType'
            ? contentType.info.singularName
            : contentType.info.pluralName,
        kind: contentType.kind,
        localized: isLocalized(strapi, contentType.uid),
      }));
  };

  const build = (): Omit<Snapshot, 'version'> => {
    const loader = getService(strapi, 'registryLoader');
    const { registry } = loader;
    const { profiles, exposureOnDelivery } = strapi.config.get(
      `plugin::${PLUGIN_ID}`
    ) as PluginConfig;
    return {
      format: SNAPSHOT_FORMAT,
      defaultLocale: loader.defaultLocale,
      profiles: profiles.enabled,
      recordsExposures: exposureOnDelivery,
      types: types(),
      personas: registry.personas.map(({ slug, name, priority, rule }) => ({
        slug,
        name,
        priority,
        rule: logicOf(rule),
      })),
      stages: registry.stages.map(({ slug, name, order, rule }) => ({
        slug,
        name,
        order,
        rule: logicOf(rule),
      })),
      holdout: registry.holdout.share > 0 ? { ...registry.holdout } : null,
      // In a canonical order (the registry's depends on which writes filled it), so that the
      // same data always has the same version.
      entries: [...registry.targets()]
        .sort((a, b) =>
          compareText(
            targetKey(a.uid, a.documentId, a.locale),
            targetKey(b.uid, b.documentId, b.locale)
          )
        )
        .map(({ uid, documentId, locale, variants }) => ({
          targetUid: uid,
          targetDocumentId: documentId,
          locale,
          variants: [...variants].sort(compareVariants).map((variant) => ({
            documentId: variant.documentId,
            name: variant.name,
            persona: variant.persona,
            stage: variant.stage,
            rule: logicOf(variant.rule),
            priority: variant.priority,
            createdAt: variant.createdAt,
          })),
        })),
      // In the registry's order (running first, then the latest completed): per entry, the order
      // in which they are tried.
      experiments: [...registry.experiments]
        .filter((experiment) => registry.isEnabled(experiment.targetUid))
        .map((experiment) => ({
          key: experiment.key,
          seed: experiment.seed,
          targetUid: experiment.targetUid,
          targetDocumentId: experiment.targetDocumentId,
          locale: experiment.locale,
          status: experiment.status,
          winner: experiment.winner,
          arms: experiment.arms.map(({ key, variant, weight }) => ({ key, variant, weight })),
          trafficAllocation: experiment.trafficAllocation,
          audience: logicOf(experiment.audience),
          goal: experiment.goal,
          remembersArms: experiment.status === 'running' && experiment.reweighted,
        })),
    };
  };

  return {
    /** The snapshot as JSON, with its version; rebuilt when the registry changed. */
    current(): { version: string; json: string } {
      const loader = getService(strapi, 'registryLoader');
      const { generation } = loader.registry;
      if (built?.generation !== generation || built.defaultLocale !== loader.defaultLocale) {
        const content = build();
        const version = createHash('sha256')
          .update(JSON.stringify(content))
          .digest('base64url')
          .slice(0, 27);
        const snapshot: Snapshot = { ...content, version };
        built = {
          generation,
          defaultLocale: loader.defaultLocale,
          snapshot,
          json: JSON.stringify(snapshot),
        };
      }
      return { version: built.snapshot.version, json: built.json };
    },
  };
};

export default snapshot;
