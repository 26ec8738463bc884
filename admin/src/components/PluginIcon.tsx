import { ChartBubble, HandHeart } from '@strapi/icons';

export const PluginIcon = () => <HandHeart />;

export const ExperimentIcon = () => <ChartBubble />;
