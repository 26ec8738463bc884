/**
 * Shapes of the plugin's admin API (`/personalize/...`). What the server answers is declared once,
 * in its contracts (server/src/contracts/), and imported type-only so that zod stays out of the
 * admin bundle; only the admin's own shapes are declared here.
 */
import type {
  ExperimentListItem,
  JourneyStage,
  Persona,
  VariantListItem,
} from '../../../server/src/contracts';
import type { ExperimentArm } from '../../../server/src/engine/types';
import type { settingsBodySchema } from '../../../server/src/contracts';
import type { z } from 'zod';

export type * from '../../../server/src/contracts';
export type { PreviewPersonalization as Personalization } from '../../../server/src/contracts';
// The engine's own types: the statistics of an arm and where its events came from.
export type { ArmResult, ArmSources, SourceSpread } from '../../../server/src/engine/types';

/** An arm: the base entry (`variant: null`) or a variant documentId of the same entry. */
export type Arm = ExperimentArm;

/** An entry of a collection type, for choosing an experiment's target (Content Manager API). */
export interface EntrySummary {
  documentId: string;
  title: string;
}

/** A locale of the app (i18n plugin API). */
export interface AppLocale {
  code: string;
  name: string;
  isDefault: boolean;
}

/** The item of each paginated list the admin reads. */
export interface Lists {
  personas: Persona;
  stages: JourneyStage;
  variants: VariantListItem;
  experiments: ExperimentListItem;
}

/** `PUT /personalize/settings`: the content types with variants and/or the holdout. */
export type SettingsBody = z.input<typeof settingsBodySchema>;
