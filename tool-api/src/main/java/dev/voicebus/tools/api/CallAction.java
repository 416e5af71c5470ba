package dev.voicebus.tools.api;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a tool asks the phone call itself to do once the agent's current words have played: hang up,
 * or transfer the caller elsewhere. A tool returns one with {@link ToolOutcome#ok(
 * com.fasterxml.jackson.databind.JsonNode, CallAction)}; the executor carries it as a typed field
 * of the ToolResult, and the session worker acts on that field, never on text in the tool's output.
 * Only successful outcomes carry an action, so a failing tool can never end or move a call.
 */
public sealed interface CallAction
    permits CallAction.Hangup,
        CallAction.Transfer,
        CallAction.PauseRecording,
        CallAction.ResumeRecording {

  /** Ends the call after the agent's goodbye. */
  static CallAction hangup(String reason) {
    return new Hangup(reason);
  }

  /** Transfers the caller to {@code target} (E.164 number or sip:/sips: URI). */
  static CallAction transfer(String target, String announcementOrNull) {
    return new Transfer(target, Optional.ofNullable(announcementOrNull));
  }

  /** Stops recording the call's audio (silence in the file) until {@link #resumeRecording()}. */
  static CallAction pauseRecording() {
    return new PauseRecording();
  }

  /** Records the call's audio again after {@link #pauseRecording()}. */
  static CallAction resumeRecording() {
    return new ResumeRecording();
  }

  /** Pause the call's recording. */
  record PauseRecording() implements CallAction {}

  /** Resume the call's recording. */
  record ResumeRecording() implements CallAction {}

  /**
   * Hang up.
   *
   * @param reason why, in a few words (e.g. {@code resolved})
   */
  record Hangup(String reason) implements CallAction {
    public Hangup {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * Transfer the caller. Carried out on Twilio calls: the agent says the announcement, then the
   * caller's ingest node moves the call through Twilio's REST API once the agent's audio has
   * played; if Twilio refuses, the tool call is answered with a {@code transfer_failed} error the
   * model hears. On calls from other sources the model hears {@code transfer_unsupported}.
   *
   * @param target an E.164 phone number such as {@code +15551234567}, or a {@code sip:}/{@code
   *     sips:} URI such as {@code sip:billing@pbx.example.com}
   * @param announcement a line for the agent to say before the transfer, if any
   */
  record Transfer(String target, Optional<String> announcement) implements CallAction {

    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");
    private static final Pattern SIP_URI =
        Pattern.compile(
            "sips?:[A-Za-z0-9._~%!$&'()*+,;=:-]+@[A-Za-z0-9.-]+(:[0-9]{1,5})?([;?].*)?");

    public Transfer {
      Objects.requireNonNull(target, "target");
      Objects.requireNonNull(announcement, "announcement");
      if (!isValidTarget(target)) {
        throw new IllegalArgumentException(
            "A transfer target must be an E.164 number (+15551234567) or a sip:/sips: URI"
                + " (sip:agent@pbx.example.com), got '"
                + target
                + "'");
      }
    }

    /** Whether {@code target} is an E.164 number or a sip:/sips: URI with a user and host. */
    public static boolean isValidTarget(String target) {
      return target != null
          && (E164.matcher(target).matches() || SIP_URI.matcher(target).matches());
    }
  }
}
