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
    this.sessionId = sessionId;
    this.options = options;
    SessionSettings settings =
        new SessionSettings(sessionId, model, openedAt.plus(options.lifetime()));
    Conversation conversation = new Conversation(Ids.next(Ids.CONVERSATION), options.maxItems());
    ctx = new SessionContext(settings, conversation, record, sink, options.pacing());
    ctx.cursor = new ScenarioCursor(options.scenarios().defaultScenario());
    input = new InputAudio(ctx, () -> startResponse(null));
    conversationOps = new ConversationOps(ctx);
  }

  /** Arms the faults and sends {@code session.created}. */
  public void open() {
    ctx.faults = new FaultPlan(faultsFor(ctx.cursor.scenario()), ctx.sink.executor(), closer());
    ObjectNode created = Events.event("session.created");
    created.set("session", ctx.settings.json());
    ctx.emit(created);
  }

  /** Marks the session closed (socket gone) and stops its timers. */
  public void closed() {
    ctx.closed = true;
    if (ctx.activeResponse != null) {
      ctx.activeResponse.cancel("client_cancelled");
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
