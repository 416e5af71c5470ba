/**
 * The GA session configuration ({@link dev.voicebus.realtime.session.SessionConfig}) sent in {@code
 * session.update} and returned in {@code session.created}/{@code session.updated}.
 */
package dev.voicebus.realtime.session;
