/** Lifecycle events: types, the worker's bus (`onEvent`) and the webhook sink (rebuilding them from history is in src/replay). */
export { EVENT_TYPES, FlowEvent, type EventType, type FlowstateSinks } from './types';
export { onEvent, dispatch, eventSinks } from './bus';
export { startWebhook, webhookFromEnv, type Webhook, type WebhookOptions } from './webhook';
