package dev.voicebus.realtime.sandbox.protocol;

/**
 * An {@code error} event payload as OpenAI sends it: type, code (nullable), message, param
 * (nullable). The causing client {@code event_id} is added when the event is written.
 */
public record ProtocolError(String type, String code, String message, String param) {
  public static final String INVALID_REQUEST = "invalid_request_error";

  public static ProtocolError invalid(String code, String message, String param) {
    return new ProtocolError(INVALID_REQUEST, code, message, param);
  }

  public static ProtocolError missingParameter(String param) {
    return invalid(
        "missing_required_parameter", "Missing required parameter: '" + param + "'.", param);
  }

  public static ProtocolError unknownParameter(String param) {
    return invalid("unknown_parameter", "Unknown parameter: '" + param + "'.", param);
  }

  public static ProtocolError invalidValue(String param, Object value, String supported) {
    return invalid(
        "invalid_value",
        "Invalid value: '" + value + "'. Supported values are: " + supported + ".",
        param);
  }

  public static ProtocolError invalidType(String param, String expected) {
    return invalid(
        "invalid_type", "Invalid type for '" + param + "': expected " + expected + ".", param);
  }
}
