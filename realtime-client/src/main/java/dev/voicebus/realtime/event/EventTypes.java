package dev.voicebus.realtime.event;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** Wire type names of the event records, read once from the {@code @JsonSubTypes} declarations. */
final class EventTypes {

  private static final Map<Class<?>, String> CLIENT = typesOf(ClientEvent.class);
  private static final Map<Class<?>, String> SERVER = typesOf(ServerEvent.class);
  private static final Set<String> CLIENT_NAMES = Set.copyOf(CLIENT.values());
  private static final Set<String> SERVER_NAMES = Set.copyOf(SERVER.values());

  private EventTypes() {}

  static String clientType(Class<?> type) {
    return CLIENT.get(type);
  }

  static String serverType(Class<?> type) {
    return SERVER.get(type);
  }

  static Set<String> clientTypes() {
    return CLIENT_NAMES;
  }

  static Set<String> serverTypes() {
    return SERVER_NAMES;
  }

  private static Map<Class<?>, String> typesOf(Class<?> root) {
    Map<Class<?>, String> types = new HashMap<>();
    for (JsonSubTypes.Type type : root.getAnnotation(JsonSubTypes.class).value()) {
      types.put(type.value(), type.name());
    }
    return Map.copyOf(types);
  }
}
