package dev.voicebus.realtime.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebus.realtime.client.ApiKey;
import dev.voicebus.realtime.client.RealtimeClient;
import dev.voicebus.realtime.client.RealtimeClientConfig;
import dev.voicebus.realtime.event.ClientEvent;
import dev.voicebus.realtime.event.ServerEvent;
import dev.voicebus.realtime.sandbox.audio.AudioFormat;
import dev.voicebus.realtime.sandbox.protocol.ResponsePacing;
import dev.voicebus.realtime.sandbox.protocol.SessionRecord;
import dev.voicebus.realtime.session.InputTranscription;
import dev.voicebus.realtime.session.SessionConfig;
import dev.voicebus.realtime.session.Tool;
import dev.voicebus.realtime.session.TurnDetection;
import java.util.List;

/**
 * A sandbox on an ephemeral loopback port, the project's Realtime client pointed at it, and a
 * schema check on every server event. Closing it stops both and asserts that every event the
 * sandbox wrote matched OpenAI's GA schema.
 */
public final class SandboxFixture implements AutoCloseable {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final SchemaCheck schemas = new SchemaCheck();
  private final RealtimeSandbox sandbox;
  private final RealtimeClient client;

  private SandboxFixture(SandboxConfig config) {
    sandbox = RealtimeSandbox.start(config, schemas);
    client =
        new RealtimeClient(
            RealtimeClientConfig.defaults(ApiKey.of("sk-sandbox-test"))
                .withBaseUri(sandbox.baseUri())
                .withEventLoopThreads(1));
  }

  public static SandboxFixture start(SandboxConfig config) {
    return new SandboxFixture(config);
  }

  /** Default sandbox, but streaming agent audio 50x faster than real time to keep tests short. */
  public static SandboxFixture start() {
    return start(fast());
  }

  public static SandboxConfig fast() {
    return SandboxConfig.defaults().withPacing(new ResponsePacing(100, 50.0));
  }

  public RealtimeSandbox sandbox() {
    return sandbox;
  }

  public RealtimeClient client() {
    return client;
  }

  public SchemaCheck schemas() {
    return schemas;
  }

  /** Opens a session and waits for {@code session.created}. */
  public ClientSession open() throws Exception {
    ClientSession s = ClientSession.open(client);
    s.first(ServerEvent.SessionCreated.class);
    return s;
  }

  /** Opens a session and applies {@code config}, waiting for {@code session.updated}. */
  public ClientSession open(SessionConfig config) throws Exception {
    ClientSession s = open();
    s.send(new ClientEvent.SessionUpdate(config));
    s.next(ServerEvent.SessionUpdated.class);
    return s;
  }

  public SessionRecord record(ClientSession s) {
    return sandbox.session(s.sessionId()).orElseThrow();
  }

  /** A telephony session: pcmu both ways, server VAD, whisper transcription, lookup_order. */
  public static SessionConfig.Builder telephony() throws Exception {
    return SessionConfig.realtime()
        .withInstructions("You are the Acme support line.")
        .withAudioFormat(dev.voicebus.realtime.session.AudioFormat.PCMU)
        .withVoice("marin")
        .withTurnDetection(new TurnDetection.ServerVad(0.5, 300, 500, true, true, null))
        .withTranscription(InputTranscription.of("whisper-1", "en"))
        .withTools(
            List.of(
                new Tool.FunctionTool(
                    "lookup_order",
                    "Looks up an order by id",
                    MAPPER.readTree(
                        "{\"type\":\"object\",\"properties\":{\"order_id\":{\"type\":\"string\"}},"
                            + "\"required\":[\"order_id\"]}"))));
  }

  /** Streams {@code audio} as 20 ms pcmu appends. */
  public static void stream(ClientSession s, byte[] audio) {
    for (byte[] frame : CallerAudio.frames(AudioFormat.PCMU, audio)) {
      s.send(ClientEvent.InputAudioBufferAppend.of(frame));
    }
  }

  @Override
  public void close() {
    client.close();
    sandbox.close();
    schemas.assertAllValid();
  }
}
