// Public surface of @threadline/widgets.
export { mountWidgets } from './mount-widgets';
export type { MountOptions, WidgetsHandle } from './mount-widgets';
export type { PanelProps, Translate } from './panel-props';
export type { WidgetName } from '@threadline/core';
