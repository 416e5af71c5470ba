package dev.voicebus.realtime.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.io.IOException;
import java.util.List;

/** Translates Jackson failures into {@link InvalidEventException}s with Realtime error codes. */
final class JsonErrors {

  private JsonErrors() {}

  static InvalidEventException toInvalidEvent(IOException e, ObjectMapper mapper, String json) {
    String eventId = eventIdOf(mapper, json);
    if (!(e instanceof DatabindException mapping)) {
      return new InvalidEventException(
          "invalid_json", null, eventId, "The event is not valid JSON: " + shortMessage(e));
    }
    String param = path(((JsonMappingException) mapping).getPath());
    if (e instanceof InvalidTypeIdException typeId) {
      return typeIdProblem(typeId, eventId);
    }
    if (e instanceof UnrecognizedPropertyException unknown) {
      String name = param.isEmpty() ? unknown.getPropertyName() : param;
      return new InvalidEventException(
          "unknown_parameter", name, eventId, "Unknown parameter: '" + name + "'.");
    }
    if (e instanceof InvalidFormatException || e instanceof MismatchedInputException) {
      return new InvalidEventException(
          "invalid_type",
          param.isEmpty() ? null : param,
          eventId,
          "Invalid type for '" + param + "': " + shortMessage(e));
    }
    return new InvalidEventException(
        "invalid_value", param.isEmpty() ? null : param, eventId, shortMessage(e));
  }

  private static InvalidEventException typeIdProblem(InvalidTypeIdException e, String eventId) {
    String typeId = e.getTypeId();
    if (typeId == null || typeId.isEmpty()) {
      return new InvalidEventException(
          "invalid_event", null, eventId, "The 'type' field is missing.");
    }
    return new InvalidEventException(
        "invalid_value",
        "type",
        eventId,
        "Invalid value: '" + typeId + "'. Supported values are: " + EventTypes.clientTypes());
  }

  private static String path(List<JsonMappingException.Reference> refs) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference ref : refs) {
      if (ref.getFieldName() != null) {
        if (path.length() > 0) {
          path.append('.');
        }
        path.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  private static String eventIdOf(ObjectMapper mapper, String json) {
    try {
      JsonNode id = mapper.readTree(json).get("event_id");
      return id != null && id.isTextual() ? id.asText() : null;
    } catch (JsonProcessingException | RuntimeException e) {
      return null;
    }
  }

  private static String shortMessage(IOException e) {
    String message =
        e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
    return message == null ? e.getClass().getSimpleName() : message;
  }
}
