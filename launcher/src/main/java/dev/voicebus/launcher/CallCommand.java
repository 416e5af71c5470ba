package dev.voicebus.launcher;

import dev.voicebus.launcher.audio.CallerAudio;
import dev.voicebus.launcher.demo.ConversationalCaller;
import dev.voicebus.launcher.demo.LiveTranscript;
import dev.voicebus.schemas.config.ConfigSource;
import dev.voicebus.schemas.config.KafkaSettings;
import dev.voicebus.simulator.SimulatedCall;
import dev.voicebus.simulator.SimulatorOptions;
import dev.voicebus.simulator.TwilioCallSimulator;
import dev.voicebus.simulator.twilio.InboundCall;
import dev.voicebus.simulator.twilio.InboundDial;
import dev.voicebus.simulator.twilio.InboundDialer;
import java.io.ByteArrayInputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code voicebus call}: plays any WAV as a Twilio call against a running ingest node, converting
 * it to 8 kHz mu-law, turn by turn; prints the transcript when Kafka is reachable, and saves what
 * the agent said to a WAV. The call either streams straight to {@code /twilio/media} ({@code
 * --url}) or comes in as Twilio places an inbound call: through the voice webhook ({@code
 * --webhook}, {@code --to}), whose TwiML names the stream and its token.
 */
@Command(
    mixinStandardHelpOptions = true,
    name = "call",
    description = "Replay a WAV as a Twilio call against a running ingest node.")
final class CallCommand implements Callable<Integer> {

  @Option(names = "--wav", required = true, description = "Caller audio (any PCM or G.711 WAV).")
  Path wav;

  @Option(
      names = "--url",
      description =
          "Ingest's Twilio stream URL, e.g. ws://127.0.0.1:8080/twilio/media (a stream without the"
              + " voice webhook).")
  URI url;

  @Option(
      names = "--webhook",
      description =
          "Ingest's voice webhook, e.g. http://127.0.0.1:8080/twilio/voice: the call comes in as"
              + " Twilio places it (with --to).")
  URI webhook;

  @Option(
      names = "--to",
      description = "With --webhook: the called number (ingest.twilio.numbers).")
  String to;

  @Option(
      names = "--from",
      defaultValue = "+15550100001",
      description = "With --webhook: the caller's number (default: ${DEFAULT-VALUE}).")
  String from;

  @Option(
      names = "--account-sid",
      defaultValue = SimulatedCall.ACCOUNT_SID,
      description = "The Twilio account the simulated call belongs to (default: ${DEFAULT-VALUE}).")
  String accountSid;

  @Option(
      names = "--twilio-token",
      required = true,
      defaultValue = "${env:VOICEBUS_INGEST_TWILIO_AUTH_TOKEN}",
      description =
          "The Twilio auth token ingest verifies signatures with (default: $VOICEBUS_INGEST_TWILIO_AUTH_TOKEN).")
  String twilioToken;

  @Option(
      names = "--profile",
      defaultValue = "support",
      description = "Agent profile (default: ${DEFAULT-VALUE}).")
  String profile;

  @Option(
      names = "--bootstrap",
      description = "Kafka bootstrap servers, to print the live transcript.")
  String bootstrap;

  @Option(
      names = "--topics-prefix",
      defaultValue = "voicebus.",
      description = "Topic prefix (default: ${DEFAULT-VALUE}).")
  String topicsPrefix;

  @Option(
      names = "--out",
      defaultValue = "agent.wav",
      description = "Where to save the agent's audio (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(
      names = "--turn-timeout",
      defaultValue = "30s",
      description = "How long to wait for each agent answer (default: ${DEFAULT-VALUE}).")
  String turnTimeout;

  @Override
  public Integer call() throws Exception {
    if (!Files.isReadable(wav)) {
      throw new IOException("--wav " + wav + ": no such readable file");
    }
    checkTarget();
    CallerAudio audio;
    try (InputStream in = new FileInputStream(wav.toFile())) {
      audio = CallerAudio.read(in, wav.toString());
    }
    var turns = audio.utterances(700);
    URI target = url != null ? url : webhook;
    try (var simulator = new TwilioCallSimulator(SimulatorOptions.of(target, twilioToken), 1)) {
      SimulatedCall call = url != null ? connect(simulator) : dialIn(simulator);
      System.out.println(
          "Connected as "
              + call.callSid()
              + "; playing "
              + audio.durationMs() / 1000
              + " s in "
              + turns.size()
              + " turns.");
      Optional<LiveTranscript> transcript =
          Optional.ofNullable(bootstrap)
              .map(b -> new LiveTranscript(kafka(b), call.callSid(), System.out));
      try {
        Duration timeout = ConfigSource.parseDuration("--turn-timeout", turnTimeout);
        List<Long> latencies =
            new ConversationalCaller(call, timeout, System.out::println).converse(turns);
        call.sendStop();
        saveAgentAudio(call.receivedAudio());
        System.out.println(
            "Agent audio ("
                + call.receivedAudio().length / 8
                + " ms) saved to "
                + out
                + "; response latencies "
                + latencies
                + " ms.");
        return 0;
      } finally {
        if (transcript.isPresent()) {
          Thread.sleep(1500);
          transcript.get().close();
        }
      }
    }
  }

  private void checkTarget() {
    if ((url == null) == (webhook == null)) {
      throw new IllegalArgumentException("give --url (a stream) or --webhook (a voice webhook)");
    }
    if (url != null && !"ws".equals(url.getScheme()) && !"wss".equals(url.getScheme())) {
      throw new IllegalArgumentException("--url " + url + " is not a ws:// or wss:// URL");
    }
    if (webhook != null && (to == null || to.isBlank())) {
      throw new IllegalArgumentException("--webhook needs --to, the called number");
    }
  }

  /** The call as Twilio places it on a number whose voice webhook is ingest's. */
  private SimulatedCall dialIn(TwilioCallSimulator simulator) throws Exception {
    InboundCall call;
    try {
      call =
          new InboundDialer(simulator, Map.of(accountSid, twilioToken))
              .dial(InboundDial.of(webhook, accountSid, from, to))
              .get(15, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IOException(
          "the call through " + webhook + " failed: " + VoicebusCli.oneLine(e.getCause()), e);
    }
    if (call.stream().isEmpty()) {
      String said =
          call.twiml().map(t -> String.join(" ", t.says())).filter(t -> !t.isEmpty()).orElse("");
      throw new IOException(
          "the voice webhook answered HTTP "
              + call.status()
              + " without a stream"
              + (said.isEmpty() ? ": " + call.body().strip() : " and said: " + said));
    }
    return call.stream().get();
  }

  private SimulatedCall connect(TwilioCallSimulator simulator) throws Exception {
    try {
      return simulator.call(Map.of("agentProfile", profile)).get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IOException(
          "cannot reach ingest at " + url + ": " + VoicebusCli.oneLine(e.getCause()), e);
    } catch (TimeoutException e) {
      throw new IOException("ingest at " + url + " did not answer within 10 s", e);
    }
  }

  private KafkaSettings kafka(String servers) {
    Map<String, String> values = new HashMap<>();
    values.put("kafka.bootstrap.servers", servers);
    values.put("topics.prefix", topicsPrefix);
    return KafkaSettings.from(ConfigSource.of(values));
  }

  private void saveAgentAudio(byte[] mulaw) throws IOException {
    var format = new AudioFormat(AudioFormat.Encoding.ULAW, 8000, 8, 1, 1, 8000, false);
    try (var stream = new AudioInputStream(new ByteArrayInputStream(mulaw), format, mulaw.length)) {
      AudioSystem.write(stream, AudioFileFormat.Type.WAVE, out.toFile());
    }
  }
}
