package dev.voicebus.realtime.sandbox.sip;

import com.fasterxml.jackson.databind.JsonNode;
import dev.voicebus.realtime.sandbox.protocol.EventSink;
import dev.voicebus.realtime.sandbox.protocol.Ids;
import dev.voicebus.realtime.sandbox.protocol.ProtocolError;
import dev.voicebus.realtime.sandbox.protocol.RealtimeSession;
import dev.voicebus.realtime.sandbox.protocol.SessionRecord;
import dev.voicebus.realtime.sandbox.scenario.Scenario;
import dev.voicebus.realtime.webhook.WebhookEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One simulated SIP call and its state machine ({@link SipCallState}): the calls API operations
 * with OpenAI-shaped answers, the session created at accept, the sideband sockets attached to it
 * (the last one gets the events; the one it replaces is closed with {@value #SUPERSEDED}), the
 * simulated caller, and the end, which closes the attached socket with 1000. Every method runs on
 * the call's event loop; {@link #view()} may be read from anywhere.
 */
final class SipCall {
  /** Close code of a sideband socket replaced by a newer one (a sandbox choice, see README). */
  static final int SUPERSEDED = 4001;

  private static final Logger LOG = LoggerFactory.getLogger(SipCall.class);
  private static final Pattern TARGET =
      Pattern.compile("tel:\\+[1-9][0-9]{1,14}|sips?:[^\\s<>\"]+");
  private static final String SIP_HOST = "sip.example.com";

  /** The carrier completes a REFER and hangs up shortly after OpenAI relayed it. */
  private static final long TRANSFER_HANG_UP_MS = 200;

  private final String callId = Ids.next("rtc_");
  private final String webhookId = Ids.next("wh_");
  private final SipCallRequest request;
  private final ScheduledExecutorService loop;
  private final SipEmulator emulator;
  private final SipSettings settings;
  private final WebhookEvent.CallIncoming incoming;
  private final Instant createdAt = Instant.now();
  private final List<Integer> deliveries = new ArrayList<>();
  private SipCallState state = SipCallState.RINGING;
  private ScheduledFuture<?> ringTimer;
  private SidebandSink sink;
  private RealtimeSession session;
  private SessionRecord record;
  private SipCaller caller;
  private Integer rejectStatus;
  private String referredTo;
  private boolean hungUp;
  private SipEndReason endReason;
  private String endDetail;
  private Instant acceptedAt;
  private Instant endedAt;
  private int sidebands;
  private volatile SipCallView view;

  SipCall(
      SipCallRequest request,
      ScheduledExecutorService loop,
      SipEmulator emulator,
      SipSettings settings) {
    this.request = request;
    this.loop = loop;
    this.emulator = emulator;
    this.settings = settings;
    List<WebhookEvent.SipHeader> headers = new ArrayList<>();
    headers.add(new WebhookEvent.SipHeader("From", "sip:" + request.from() + "@" + SIP_HOST));
    headers.add(new WebhookEvent.SipHeader("To", "sip:" + request.to() + "@" + SIP_HOST));
    headers.add(new WebhookEvent.SipHeader("Call-ID", UUID.randomUUID().toString()));
    request.extraHeaders().forEach((k, v) -> headers.add(new WebhookEvent.SipHeader(k, v)));
    this.incoming =
        new WebhookEvent.CallIncoming(
            Ids.next("evt_"), createdAt.getEpochSecond(), callId, headers);
    refresh();
  }

  String callId() {
    return callId;
  }

  String webhookId() {
    return webhookId;
  }

  SipCallRequest request() {
    return request;
  }

  ScheduledExecutorService loop() {
    return loop;
  }

  WebhookEvent.CallIncoming incomingEvent() {
    return incoming;
  }

  SipCallState state() {
    return state;
  }

  SipCallView view() {
    return view;
  }

  /** Starts ringing: the ring timeout runs and the webhook goes out. */
  void ring(WebhookDelivery delivery) {
    ringTimer =
        loop.schedule(
            () -> {
              if (state == SipCallState.RINGING) {
                end(
                    SipEndReason.UNANSWERED,
                    "nobody answered within " + settings.ringTimeout().toSeconds() + " s",
                    0);
              }
            },
            settings.ringTimeout().toMillis(),
            TimeUnit.MILLISECONDS);
    delivery.start();
  }

  void delivered(int status) {
    deliveries.add(status);
    refresh();
  }

  SipApiAnswer accept(JsonNode body) {
    if (state != SipCallState.RINGING) {
      return stateConflict("accepted");
    }
    if (body == null || !body.isObject()) {
      return SipApiAnswer.error(
          400,
          "missing_required_parameter",
          "Missing required parameter: 'type'. The body is the session configuration.",
          "type");
    }
    ProtocolError problem = RealtimeSession.checkAccepted(body, emulator.options());
    if (problem != null) {
      String param =
          problem.param() == null ? null : problem.param().replaceFirst("^session\\.", "");
      return SipApiAnswer.error(400, problem.code(), problem.message(), param);
    }
    Scenario scenario =
        request.scenario() == null
            ? null
            : emulator.options().scenarios().named(request.scenario()).orElse(null);
    state = state.to(SipCallState.ACCEPTED);
    ringTimer.cancel(false);
    acceptedAt = Instant.now();
    sink = new SidebandSink(loop);
    record = new SessionRecord(Ids.next(Ids.SESSION), emulator.recordCap());
    record.accepted(body.toString());
    session =
        RealtimeSession.forSipCall(
            record.sessionId(), body, scenario, emulator.options(), record, sink);
    session.startCall();
    emulator.sessionOpened(record, sink);
    caller = new SipCaller(this, session, settings, emulator.options().pacing().speed());
    caller.start();
    LOG.info(
        "{} accepted (session {}, scenario {})", callId, record.sessionId(), record.scenario());
    refresh();
    return SipApiAnswer.OK;
  }

  SipApiAnswer reject(JsonNode body) {
    if (state != SipCallState.RINGING) {
      return stateConflict("rejected");
    }
    int status = 603;
    JsonNode code = body == null ? null : body.get("status_code");
    if (code != null && !code.isNull()) {
      if (!code.isInt() || code.asInt() < 300 || code.asInt() > 699) {
        return SipApiAnswer.error(
            400,
            "invalid_value",
            "Invalid 'status_code': expected a SIP status code from 300 to 699.",
            "status_code");
      }
      status = code.asInt();
    }
    rejectStatus = status;
    end(SipEndReason.REJECTED, "rejected with SIP " + status, 0);
    return SipApiAnswer.OK;
  }

  SipApiAnswer refer(JsonNode body) {
    if (state != SipCallState.ACCEPTED) {
      return stateConflict("referred");
    }
    JsonNode target = body == null ? null : body.get("target_uri");
    if (target == null || !target.isTextual()) {
      return SipApiAnswer.error(
          400,
          "missing_required_parameter",
          "Missing required parameter: 'target_uri'.",
          "target_uri");
    }
    if (!TARGET.matcher(target.asText()).matches()) {
      return SipApiAnswer.error(
          400,
          "invalid_value",
          "Invalid 'target_uri': expected a tel: or sip: URI such as tel:+14155550123.",
          "target_uri");
    }
    referredTo = target.asText();
    end(SipEndReason.TRANSFERRED, "referred to " + referredTo, TRANSFER_HANG_UP_MS);
    return SipApiAnswer.OK;
  }

  SipApiAnswer hangup() {
    if (state != SipCallState.ACCEPTED) {
      return stateConflict("hung up");
    }
    hungUp = true;
    end(SipEndReason.HUNG_UP, "hung up through the calls API", 0);
    return SipApiAnswer.OK;
  }

  /** The answer to an operation the call's state does not allow. */
  private SipApiAnswer stateConflict(String operation) {
    return switch (state) {
      case ENDED -> SipApiAnswer.notFound(callId, "has ended (" + endDetail + ")");
      case ACCEPTED ->
          SipApiAnswer.error(
              409,
              "call_already_accepted",
              "Call " + callId + " has already been accepted and cannot be " + operation + ".",
              null);
      case RINGING ->
          SipApiAnswer.error(
              409,
              "call_not_accepted",
              "Call " + callId + " has not been accepted yet and cannot be " + operation + ".",
              null);
    };
  }

  /**
   * A sideband socket attaches; false (and the socket is left alone) when the call is not accepted
   * any more.
   */
  boolean attach(EventSink socket) {
    if (state != SipCallState.ACCEPTED) {
      return false;
    }
    EventSink previous = sink.attach(socket);
    if (previous != null) {
      previous.close(SUPERSEDED, "another sideband connection attached to this call");
    }
    sidebands++;
    caller.attached();
    session.announce();
    LOG.info("{}: sideband socket attached ({} so far)", callId, sidebands);
    refresh();
    return true;
  }

  void text(EventSink socket, String text) {
    if (state == SipCallState.ACCEPTED && sink.isAttached(socket)) {
      session.onText(text);
    }
  }

  void detached(EventSink socket) {
    if (sink != null) {
      sink.detach(socket);
    }
  }

  void callerHungUp(String why) {
    if (state == SipCallState.ACCEPTED) {
      end(SipEndReason.CALLER_HUNG_UP, why, 0);
    }
  }

  /** Ends the call; the attached sideband socket closes with 1000 after {@code closeAfterMs}. */
  void end(SipEndReason reason, String detail, long closeAfterMs) {
    state = state.to(SipCallState.ENDED);
    endReason = reason;
    endDetail = detail;
    endedAt = Instant.now();
    if (ringTimer != null) {
      ringTimer.cancel(false);
    }
    if (session != null) {
      caller.stop();
      session.closed();
      emulator.sessionClosed(record);
      String closeReason = "call ended: " + reason.name().toLowerCase(java.util.Locale.ROOT);
      if (closeAfterMs > 0) {
        loop.schedule(() -> sink.close(1000, closeReason), closeAfterMs, TimeUnit.MILLISECONDS);
      } else {
        sink.close(1000, closeReason);
      }
    }
    LOG.info("{} ended: {} ({})", callId, reason, detail);
    refresh();
    emulator.ended(this);
  }

  private void refresh() {
    view =
        new SipCallView(
            callId,
            webhookId,
            request.from(),
            request.to(),
            record == null ? request.scenario() : record.scenario(),
            state,
            record == null ? null : record.sessionId(),
            rejectStatus,
            referredTo,
            hungUp,
            endReason,
            endDetail,
            sidebands,
            deliveries,
            createdAt,
            acceptedAt,
            endedAt);
  }
}
