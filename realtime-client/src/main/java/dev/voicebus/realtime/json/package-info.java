/** Jackson helpers shared by the event and session models; not an API for other modules. */
package dev.voicebus.realtime.json;
