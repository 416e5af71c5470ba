package dev.voicebus.simulator;

/**
 * How a simulated connection ended: the WebSocket close code and reason sent by the server (1006
 * when the socket dropped without a close frame), or the HTTP status of a refused upgrade.
 */
public record CloseStatus(int code, String reason, int httpStatus) {}
