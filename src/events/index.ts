/** Lifecycle events: types, the worker's bus (`onEvent`), the webhook sink, and rebuilding from history. */
export { EVENT_TYPES, FlowEvent, type EventType, type FlowstateSinks } from './types';
export { onEvent, dispatch, eventSinks } from './bus';
export { startWebhook, webhookFromEnv, type Webhook, type WebhookOptions } from './webhook';
export { eventsFromHistory } from './history';
