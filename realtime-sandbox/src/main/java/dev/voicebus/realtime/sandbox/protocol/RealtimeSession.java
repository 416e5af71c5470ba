package dev.voicebus.realtime.sandbox.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicebus.realtime.event.ClientEvent;
import dev.voicebus.realtime.event.InvalidEventException;
import dev.voicebus.realtime.event.RealtimeError;
import dev.voicebus.realtime.event.RealtimeJson;
import dev.voicebus.realtime.event.ResponseCreateParams;
import dev.voicebus.realtime.sandbox.fault.FaultConfig;
import dev.voicebus.realtime.sandbox.fault.FaultPlan;
import dev.voicebus.realtime.sandbox.fault.SessionCloser;
import dev.voicebus.realtime.sandbox.scenario.Scenario;
import dev.voicebus.realtime.sandbox.scenario.ScenarioCursor;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The protocol state machine of one Realtime session: reads client events (JSON text), answers with
 * server events in OpenAI's shapes and order, and owns the session's input audio, conversation,
 * active response, scenario cursor and faults. Every method runs on the session's event loop, so
 * the state needs no locks.
 */
public final class RealtimeSession {
  private static final Logger LOG = LoggerFactory.getLogger(RealtimeSession.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final RealtimeJson CODEC = RealtimeJson.shared();
  private static final int MAX_AUDIO_BYTES = 15 * 1024 * 1024;

  private final SessionContext ctx;
  private final SessionOptions options;
  private final InputAudio input;
  private final ConversationOps conversationOps;
  private final Instant openedAt = Instant.now();
  private final String sessionId;

  public RealtimeSession(
      String sessionId,
      String model,
      SessionOptions options,
      SessionRecord record,
      EventSink sink) {
    this(sessionId, model, options, record, sink, null);
  }

  private RealtimeSession(
      String sessionId,
      String model,
      SessionOptions options,
      SessionRecord record,
      EventSink sink,
      SipLeg sip) {
    this.sessionId = sessionId;
    this.options = options;
    SessionSettings settings =
        new SessionSettings(sessionId, model, openedAt.plus(options.lifetime()));
    Conversation conversation = new Conversation(Ids.next(Ids.CONVERSATION), options.maxItems());
    ctx = new SessionContext(settings, conversation, record, sink, options.pacing(), sip);
    ctx.cursor = new ScenarioCursor(options.scenarios().defaultScenario());
    input = new InputAudio(ctx, () -> startResponse(null));
    conversationOps = new ConversationOps(ctx);
  }

  /**
   * The problem with the session configuration a SIP call is accepted with (the body of {@code
   * /accept}), as OpenAI would name it, or null when it is valid. A {@code [scenario:NAME]} marker
   * in its instructions must name a known scenario.
   */
  public static ProtocolError checkAccepted(JsonNode session, SessionOptions options) {
    ProtocolError problem = SessionValidator.validate(session);
    if (problem != null) {
      return problem;
    }
    try {
      options.scenarios().select(session.path("instructions").asText(""));
      return null;
    } catch (IllegalArgumentException e) {
      return ProtocolError.invalidValue("instructions", "[scenario:...]", e.getMessage());
    }
  }

  /**
   * The session OpenAI runs for an accepted SIP call: G.711 mu-law both ways (the phone leg), then
   * the accepted configuration (checked with {@link #checkAccepted}); agent audio goes to the phone
   * (see {@link SipLeg}) and caller audio comes from it ({@link #callerAudio}). Its scenario is
   * {@code scenario} when given, else the one its instructions name. Nothing is sent until a
   * sideband socket attaches ({@link #announce}); call {@link #startCall} on the sink's executor.
   */
  public static RealtimeSession forSipCall(
      String sessionId,
      JsonNode acceptedSession,
      Scenario scenario,
      SessionOptions options,
      SessionRecord record,
      EventSink sink) {
    String model = acceptedSession.path("model").asText("gpt-realtime");
    RealtimeSession session =
        new RealtimeSession(
            sessionId, model, options, record, sink, new SipLeg(options.pacing().speed()));
    session.ctx.settings.useTelephonyAudio();
    session.ctx.settings.apply(acceptedSession);
    session.input.configure();
    Scenario chosen =
        scenario != null
            ? scenario
            : options.scenarios().select(session.ctx.settings.instructions());
    session.ctx.cursor = new ScenarioCursor(chosen);
    record.scenario(chosen.name());
    return session;
  }

  /** Arms the faults and sends {@code session.created}. */
  public void open() {
    ctx.faults = new FaultPlan(faultsFor(ctx.cursor.scenario()), ctx.sink.executor(), closer());
    ObjectNode created = Events.event("session.created");
    created.set("session", ctx.settings.json());
    ctx.emit(created);
  }

  /**
   * Starts a SIP call's session: arms its faults (which end the attached sideband socket, not the
   * call). Sends nothing.
   */
  public void startCall() {
    ctx.faults = new FaultPlan(faultsFor(ctx.cursor.scenario()), ctx.sink.executor(), closer());
  }

  /**
   * Sends {@code session.created} with the current configuration, to a sideband socket that just
   * attached to the call.
   */
  public void announce() {
    ObjectNode created = Events.event("session.created");
    created.set("session", ctx.settings.json());
    ctx.emit(created);
  }

  /** Audio from the caller's phone (a SIP call), in the session's input format. */
  public void callerAudio(byte[] audio) {
    if (!ctx.closed) {
      input.append(audio);
    }
  }

  /** A keypad press on the caller's phone: {@code input_audio_buffer.dtmf_event_received}. */
  public void keypad(char key) {
    ObjectNode e = Events.event("input_audio_buffer.dtmf_event_received");
    e.put("event", String.valueOf(key));
    e.put("received_at", Instant.now().getEpochSecond());
    ctx.emit(e);
  }

  /** The format caller audio must be in. */
  public dev.voicebus.realtime.sandbox.audio.AudioFormat inputFormat() {
    return ctx.settings.inputFormat();
  }

  /**
   * True while the agent has something in hand: a response in progress, audio still playing on the
   * call, or a tool call of the script waiting for its output.
   */
  public boolean agentBusy() {
    return ctx.activeResponse != null
        || (ctx.sip != null && ctx.sip.playing())
        || ctx.cursor.awaitingToolOutput();
  }

  /** Responses finished so far (completed, cancelled or failed); SIP calls only. */
  public long responsesFinished() {
    return ctx.sip == null ? 0 : ctx.sip.responsesFinished();
  }

  /** The scenario turn the caller's next input answers, or null when the script is played. */
  public dev.voicebus.realtime.sandbox.scenario.ScenarioTurn upcomingTurn() {
    return ctx.cursor.upcoming();
  }

  /** True when every turn of the script has been answered and no tool output is pending. */
  public boolean scriptFinished() {
    return ctx.cursor.finished();
  }

  public String sessionId() {
    return sessionId;
  }

  /** Marks the session closed (socket gone) and stops its timers. */
  public void closed() {
    ctx.closed = true;
    if (ctx.activeResponse != null) {
      ctx.activeResponse.cancel("client_cancelled");
    }
    if (ctx.sip != null) {
      ctx.sip.close();
    }
    if (ctx.faults != null) {
      ctx.faults.disarm();
    }
    ctx.record.closed();
  }

  /**
   * Handles one client event frame. The client module's codec parses it strictly (unknown fields,
   * wrong types and missing required fields become OpenAI-style errors); session updates are also
   * read as a raw tree, because explicit nulls there ("turn this off") matter.
   */
  public void onText(String text) {
    ClientEvent event;
    try {
      event = CODEC.parseClientEvent(text);
    } catch (InvalidEventException e) {
      RealtimeError err = e.toRealtimeError();
      ctx.error(new ProtocolError(err.type(), err.code(), err.message(), err.param()), e.eventId());
      return;
    }
    ctx.record.receivedEvent(event.type());
    dispatch(event, text);
  }

  private void dispatch(ClientEvent event, String text) {
    String id = event.eventId();
    if (event instanceof ClientEvent.SessionUpdate) {
      updateSession(rawSession(text), id);
    } else if (event instanceof ClientEvent.InputAudioBufferAppend a) {
      append(a, id);
    } else if (event instanceof ClientEvent.InputAudioBufferCommit) {
      input.commit(id);
    } else if (event instanceof ClientEvent.InputAudioBufferClear) {
      input.clear();
    } else if (event instanceof ClientEvent.ConversationItemCreate c) {
      conversationOps.create(CODEC.objectMapper().valueToTree(c.item()), c.previousItemId(), id);
    } else if (event instanceof ClientEvent.ConversationItemRetrieve r) {
      conversationOps.retrieve(r.itemId(), id);
    } else if (event instanceof ClientEvent.ConversationItemTruncate t) {
      conversationOps.truncate(t.itemId(), t.contentIndex(), t.audioEndMs(), id);
    } else if (event instanceof ClientEvent.ConversationItemDelete d) {
      conversationOps.delete(d.itemId(), id);
    } else if (event instanceof ClientEvent.ResponseCreate r) {
      createResponse(r.response(), id);
    } else if (event instanceof ClientEvent.ResponseCancel c) {
      cancelResponse(c.responseId(), id);
    } else if (event instanceof ClientEvent.OutputAudioBufferClear && ctx.sip != null) {
      ctx.sip.clear(ctx);
    } else {
      // output_audio_buffer.clear is for WebRTC/SIP only; the WebSocket API ignores it.
      LOG.trace("{} {} ignored", sessionId, event.type());
    }
  }

  private JsonNode rawSession(String text) {
    try {
      return MAPPER.readTree(text).get("session");
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Parsed once already, cannot fail: " + e.getMessage(), e);
    }
  }

  private void updateSession(JsonNode session, String clientEventId) {
    ProtocolError problem = SessionValidator.validate(session);
    Scenario scenario = null;
    if (problem == null) {
      try {
        String instructions =
            session.has("instructions")
                ? session.get("instructions").asText("")
                : ctx.settings.instructions();
        scenario = options.scenarios().select(instructions);
      } catch (IllegalArgumentException e) {
        problem =
            ProtocolError.invalidValue("session.instructions", "[scenario:...]", e.getMessage());
      }
    }
    if (problem != null) {
      ctx.error(problem, clientEventId);
      return;
    }
    ctx.settings.apply(session);
    ctx.record.tools(ctx.settings.json().path("tools"));
    input.configure();
    if (scenario != ctx.cursor.scenario()) {
      ctx.cursor = new ScenarioCursor(scenario);
      ctx.record.scenario(scenario.name());
      ctx.faults.arm(faultsFor(scenario), Duration.between(openedAt, Instant.now()));
      LOG.debug("{} selected scenario {}", sessionId, scenario.name());
    }
    ObjectNode updated = Events.event("session.updated");
    updated.set("session", ctx.settings.json());
    ctx.emit(updated);
  }

  private void append(ClientEvent.InputAudioBufferAppend event, String clientEventId) {
    byte[] bytes;
    try {
      bytes = event.audioBytes();
    } catch (IllegalArgumentException e) {
      ctx.error(
          ProtocolError.invalid(
              "invalid_value", "Invalid 'audio'. Expected base64-encoded audio data.", "audio"),
          clientEventId);
      return;
    }
    if (bytes.length > MAX_AUDIO_BYTES) {
      ctx.error(
          ProtocolError.invalid(
              "invalid_value", "Audio chunk too large: the limit is 15 MiB per event.", "audio"),
          clientEventId);
      return;
    }
    ctx.record.audio(bytes);
    input.append(bytes);
  }

  private void createResponse(ResponseCreateParams params, String clientEventId) {
    if (ctx.activeResponse != null) {
      ctx.error(
          ProtocolError.invalid(
              "conversation_already_has_active_response",
              "Conversation already has an active response in progress: "
                  + ctx.activeResponse.id()
                  + ". Wait until the response is finished before creating a new one.",
              null),
          clientEventId);
      return;
    }
    startResponse(params);
  }

  private void startResponse(ResponseCreateParams params) {
    Item last = ctx.conversation.last();
    String toolOutput =
        last != null && last.kind() == Item.Kind.FUNCTION_CALL_OUTPUT
            ? last.json().path("output").asText()
            : null;
    String instructions = params == null ? null : params.instructions();
    ScenarioCursor.Reply reply =
        ScenarioCursor.verbatim(instructions)
            .orElseGet(() -> ctx.cursor.nextReply(toolOutput, ctx.settings.functionTools()));
    ResponseRun run = new ResponseRun(ctx, reply, params);
    ctx.activeResponse = run;
    run.start();
  }

  private void cancelResponse(String responseId, String clientEventId) {
    ResponseRun active = ctx.activeResponse;
    if (active == null || (responseId != null && !responseId.equals(active.id()))) {
      ctx.error(
          ProtocolError.invalid(
              "response_cancel_not_active", "Cancellation failed: no active response found", null),
          clientEventId);
      return;
    }
    active.cancel("client_cancelled");
  }

  private FaultConfig faultsFor(Scenario scenario) {
    return scenario.faults() != null ? scenario.faults() : options.faults();
  }

  private SessionCloser closer() {
    return new SessionCloser() {
      @Override
      public void close(int code, String reason) {
        LOG.info("{} closing by fault: {} {}", sessionId, code, reason);
        ctx.sink.close(code, reason);
      }

      @Override
      public void drop() {
        LOG.info("{} dropping TCP connection by fault", sessionId);
        ctx.sink.drop();
      }
    };
  }
}
