package dev.voicebus.ingest.support;

import dev.voicebus.avro.AudioFrame;
import dev.voicebus.avro.CallControl;
import dev.voicebus.avro.CallEnded;
import dev.voicebus.avro.CallStarted;
import dev.voicebus.ingest.support.IngestHarness.Keyed;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Optional;

/** Filters over records read back by {@link IngestHarness}. */
public final class CallRecords {

  private CallRecords() {}

  public static Optional<CallStarted> startedWithExternalId(
      List<Keyed<CallControl>> records, String externalId) {
    return records.stream()
        .map(r -> r.value().getEvent())
        .filter(e -> e instanceof CallStarted s && externalId.equals(s.getExternalCallId()))
        .map(CallStarted.class::cast)
        .findFirst();
  }

  public static List<Object> eventsOf(List<Keyed<CallControl>> records, String callId) {
    return records.stream()
        .filter(r -> r.key().equals(callId))
        .map(r -> r.value().getEvent())
        .toList();
  }

  public static boolean ended(List<Keyed<CallControl>> records, String callId) {
    return eventsOf(records, callId).stream().anyMatch(CallEnded.class::isInstance);
  }

  public static List<AudioFrame> framesOf(List<Keyed<AudioFrame>> records, String callId) {
    return records.stream().filter(r -> r.key().equals(callId)).map(Keyed::value).toList();
  }

  public static byte[] payloadOf(List<AudioFrame> frames) {
    var out = new ByteArrayOutputStream();
    for (AudioFrame frame : frames) {
      var buffer = frame.getPayload().duplicate();
      byte[] bytes = new byte[buffer.remaining()];
      buffer.get(bytes);
      out.writeBytes(bytes);
    }
    return out.toByteArray();
  }

  public static long totalBytes(List<AudioFrame> frames) {
    return frames.stream().mapToLong(f -> f.getPayload().remaining()).sum();
  }
}
