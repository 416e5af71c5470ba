package dev.voicebus.telephony.twilio;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A Twilio Media Streams message of a bidirectional stream ({@code <Connect><Stream>}), typed:
 * {@link Inbound} messages are what Twilio sends to the application, {@link Outbound} what the
 * application sends back, and {@link Unknown} keeps a message whose event this model does not know,
 * so a new Twilio event never breaks decoding. {@link TwilioCodec} turns them into JSON and back.
 *
 * <p>Twilio sends numeric fields as JSON strings; here they are numbers, and {@code 0} stands for a
 * field the message did not carry: Twilio numbers messages and chunks from 1, so a sequence number
 * or chunk of 0 means "not numbered" (a media timestamp of 0 is simply the stream's start).
 */
public sealed interface TwilioMessage {

  /** The message's {@code event} field. */
  String event();

  /** What Twilio sends: connected, start, media, mark (an echo), dtmf, stop. */
  sealed interface Inbound extends TwilioMessage {

    /** The message's {@code sequenceNumber}, or 0 if it carries none (connected, unknown). */
    long sequenceNumber();

    /** The first message on a stream; carries no sequence number. */
    record Connected(String protocol, String version) implements Inbound {
      public Connected {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(version, "version");
      }

      @Override
      public String event() {
        return "connected";
      }

      @Override
      public long sequenceNumber() {
        return 0;
      }
    }

    /** The stream's metadata, sent once before any media. */
    record Start(
        long sequenceNumber,
        String streamSid,
        String accountSid,
        String callSid,
        List<String> tracks,
        Map<String, String> customParameters,
        MediaFormat mediaFormat)
        implements Inbound {
      public Start {
        Objects.requireNonNull(streamSid, "streamSid");
        Objects.requireNonNull(accountSid, "accountSid");
        Objects.requireNonNull(callSid, "callSid");
        tracks = List.copyOf(tracks);
        customParameters = Map.copyOf(customParameters);
        Objects.requireNonNull(mediaFormat, "mediaFormat");
      }

      @Override
      public String event() {
        return "start";
      }
    }

    /**
     * One chunk of the caller's (or, on a two-track stream, the agent's) audio, raw bytes in the
     * stream's media format: 20 ms of 8 kHz mu-law, 160 bytes. {@code track} is {@code inbound} or
     * {@code outbound}; {@code timestamp} is milliseconds since the stream started.
     */
    record Media(
        long sequenceNumber,
        String streamSid,
        String track,
        long chunk,
        long timestamp,
        byte[] payload)
        implements Inbound {
      public Media {
        Objects.requireNonNull(streamSid, "streamSid");
        Objects.requireNonNull(track, "track");
        Objects.requireNonNull(payload, "payload");
      }

      @Override
      public String event() {
        return "media";
      }

      // Records compare arrays by identity; a message is equal to another with the same audio.
      @Override
      public boolean equals(Object o) {
        return o instanceof Media m
            && sequenceNumber == m.sequenceNumber
            && chunk == m.chunk
            && timestamp == m.timestamp
            && streamSid.equals(m.streamSid)
            && track.equals(m.track)
            && Arrays.equals(payload, m.payload);
      }

      @Override
      public int hashCode() {
        return Objects.hash(sequenceNumber, streamSid, track, chunk, timestamp)
            + 31 * Arrays.hashCode(payload);
      }

      /** Names the payload's size only: audio never goes into logs. */
      @Override
      public String toString() {
        return "Media[sequenceNumber=%d, streamSid=%s, track=%s, chunk=%d, timestamp=%d, payload=%d bytes]"
            .formatted(sequenceNumber, streamSid, track, chunk, timestamp, payload.length);
      }
    }

    /** Twilio's echo of a mark: the audio sent before it has played, or a clear dropped it. */
    record Mark(long sequenceNumber, String streamSid, String name) implements Inbound {
      public Mark {
        Objects.requireNonNull(streamSid, "streamSid");
        Objects.requireNonNull(name, "name");
      }

      @Override
      public String event() {
        return "mark";
      }
    }

    /** A keypad digit the caller pressed. */
    record Dtmf(long sequenceNumber, String streamSid, String track, String digit)
        implements Inbound {
      public Dtmf {
        Objects.requireNonNull(streamSid, "streamSid");
        Objects.requireNonNull(track, "track");
        Objects.requireNonNull(digit, "digit");
      }

      @Override
      public String event() {
        return "dtmf";
      }
    }

    /** The stream ended (the caller hung up or the call left {@code <Connect>}). */
    record Stop(long sequenceNumber, String streamSid, String accountSid, String callSid)
        implements Inbound {
      public Stop {
        Objects.requireNonNull(streamSid, "streamSid");
        Objects.requireNonNull(accountSid, "accountSid");
        Objects.requireNonNull(callSid, "callSid");
      }

      @Override
      public String event() {
        return "stop";
      }
    }
  }

  /** What the application sends: media to play, a mark after it, clear to drop what is queued. */
  sealed interface Outbound extends TwilioMessage {

    /** Audio to play to the caller, raw bytes in the stream's format (8 kHz mu-law). */
    record Media(String streamSid, byte[] payload) implements Outbound {
      public Media {
        Objects.requireNonNull(streamSid, "streamSid");
        Objects.requireNonNull(payload, "payload");
      }

      @Override
      public String event() {
        return "media";
      }

      // Records compare arrays by identity; a message is equal to another with the same audio.
      @Override
      public boolean equals(Object o) {
        return o instanceof Media m
            && streamSid.equals(m.streamSid)
            && Arrays.equals(payload, m.payload);
      }

      @Override
      public int hashCode() {
        return streamSid.hashCode() * 31 + Arrays.hashCode(payload);
      }

      /** Names the payload's size only: audio never goes into logs. */
      @Override
      public String toString() {
        return "Media[streamSid=%s, payload=%d bytes]".formatted(streamSid, payload.length);
      }
    }

    /** Asks Twilio to echo {@code name} once the media sent before it has played. */
    record Mark(String streamSid, String name) implements Outbound {
      public Mark {
        Objects.requireNonNull(streamSid, "streamSid");
        Objects.requireNonNull(name, "name");
      }

      @Override
      public String event() {
        return "mark";
      }
    }

    /** Drops the media Twilio has queued (barge-in); pending marks are echoed. */
    record Clear(String streamSid) implements Outbound {
      public Clear {
        Objects.requireNonNull(streamSid, "streamSid");
      }

      @Override
      public String event() {
        return "clear";
      }
    }
  }

  /** The {@code mediaFormat} of a start message; Twilio streams only 8 kHz mono mu-law. */
  record MediaFormat(String encoding, int sampleRate, int channels) {

    /** {@code audio/x-mulaw}, 8000 Hz, mono: what Twilio sends and expects. */
    public static final MediaFormat MULAW_8K_MONO = new MediaFormat("audio/x-mulaw", 8000, 1);

    public MediaFormat {
      Objects.requireNonNull(encoding, "encoding");
    }
  }

  /**
   * A message with an event this model does not know (or none: {@code event} is then empty), kept
   * whole as its JSON text.
   */
  record Unknown(String event, String json) implements Inbound, Outbound {
    public Unknown {
      Objects.requireNonNull(event, "event");
      Objects.requireNonNull(json, "json");
    }

    /** Always 0: the position of a message this model does not know is not tracked. */
    @Override
    public long sequenceNumber() {
      return 0;
    }
  }
}
