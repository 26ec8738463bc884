import { z } from 'zod';

/**
 * Options under `personalize.config` in the app's `config/plugins`. Unknown keys are refused at
 * start-up so that a typo never silently falls back to a default.
 */
export const pluginConfigSchema = z.strictObject({});

export type PluginConfig = z.infer<typeof pluginConfigSchema>;

const defaultConfig: PluginConfig = {};

export default {
  default: defaultConfig,
  validator(config: unknown) {
    const result = pluginConfigSchema.safeParse(config);
    if (!result.success) {
      throw new Error(`Invalid personalize plugin config: ${z.prettifyError(result.error)}`);
    }
  },
};
