import { User } from '@strapi/icons';

/** The menu entry's icon: content that fits the person visiting. */
export const PluginIcon = () => <User />;
