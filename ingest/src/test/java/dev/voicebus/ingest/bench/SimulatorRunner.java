package dev.voicebus.ingest.bench;

import dev.voicebus.simulator.SimulatedCall;
import dev.voicebus.simulator.SimulatedCall.Pacing;
import dev.voicebus.simulator.SimulatorOptions;
import dev.voicebus.simulator.Tone;
import dev.voicebus.simulator.TwilioCallSimulator;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark's caller side, run as a child JVM so its memory and CPU are not charged to the
 * ingest node: {@code SimulatorRunner <ws-url> <twilio-token> <calls> <seconds>}. Prints READY once
 * every call is streaming and DONE when all have stopped.
 */
public final class SimulatorRunner {

  private SimulatorRunner() {}

  public static void main(String[] args) throws Exception {
    URI target = URI.create(args[0]);
    int calls = Integer.parseInt(args[2]);
    int seconds = Integer.parseInt(args[3]);
    byte[] audio = Tone.muLaw(440, seconds * 1000);
    try (var simulator = new TwilioCallSimulator(SimulatorOptions.of(target, args[1]), 2)) {
      List<SimulatedCall> live = new ArrayList<>();
      List<CompletableFuture<Void>> streams = new ArrayList<>();
      for (int i = 0; i < calls; i++) {
        SimulatedCall call =
            simulator.call(Map.of("n", String.valueOf(i))).get(30, TimeUnit.SECONDS);
        live.add(call);
        streams.add(call.streamAudio(audio, Pacing.REAL_TIME));
        if (i % 50 == 49) {
          Thread.sleep(20); // ramp up: spread call starts across frame slots
        }
      }
      System.out.println("READY");
      CompletableFuture.allOf(streams.toArray(CompletableFuture[]::new))
          .get(seconds + 120L, TimeUnit.SECONDS);
      live.forEach(SimulatedCall::sendStop);
      long refused = 0;
      for (SimulatedCall call : live) {
        if (call.closed().get(30, TimeUnit.SECONDS).code() != 1000) {
          refused++;
        }
      }
      System.out.println("DONE abnormal=" + refused);
    }
  }
}
