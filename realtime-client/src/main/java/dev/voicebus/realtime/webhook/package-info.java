/**
 * OpenAI's webhooks as Standard Webhooks: the {@code whsec_} signing secret ({@link
 * dev.voicebus.realtime.webhook.WebhookSecret}), signature verification ({@link
 * dev.voicebus.realtime.webhook.WebhookVerifier}) and signing ({@link
 * dev.voicebus.realtime.webhook.WebhookSigner}), and the typed events OpenAI posts ({@link
 * dev.voicebus.realtime.webhook.WebhookEvent}, e.g. {@code realtime.call.incoming} for SIP calls).
 */
package dev.voicebus.realtime.webhook;
