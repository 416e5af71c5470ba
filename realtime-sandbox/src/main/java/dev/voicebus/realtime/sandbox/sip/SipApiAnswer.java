package dev.voicebus.realtime.sandbox.sip;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An HTTP answer of the emulated calls API or the dev hook: status and JSON body (empty for
 * OpenAI's bodiless 200). Errors have OpenAI's shape, {@code
 * {"error":{"message","type","param","code"}}}.
 */
public record SipApiAnswer(int status, String body) {

  /** 200 with no body, as OpenAI answers accept, reject, refer and hangup. */
  public static final SipApiAnswer OK = new SipApiAnswer(200, "");

  static SipApiAnswer json(int status, ObjectNode body) {
    return new SipApiAnswer(status, body.toString());
  }

  static SipApiAnswer error(int status, String code, String message, String param) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    ObjectNode error = body.putObject("error");
    error.put("message", message);
    error.put("type", "invalid_request_error");
    error.put("param", param);
    error.put("code", code);
    return json(status, body);
  }

  /** 404 {@code call_id_not_found}: unknown call, or one that has ended. */
  static SipApiAnswer notFound(String callId, String why) {
    return error(404, "call_id_not_found", "Call " + callId + " " + why + ".", null);
  }
}
