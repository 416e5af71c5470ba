package dev.voicebus.launcher.deploy;

import dev.voicebus.ingest.config.IngestConfig;
import dev.voicebus.observability.log.LogFormat;
import dev.voicebus.realtime.sandbox.SandboxConfig;
import dev.voicebus.recorder.config.RecorderConfigReader;
import dev.voicebus.schemas.config.ConfigSource;
import dev.voicebus.schemas.config.KafkaSettings;
import dev.voicebus.tools.config.ToolExecutorConfigReader;
import dev.voicebus.webhooks.config.EventWebhooksConfig;
import dev.voicebus.worker.config.WorkerConfig;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The real settings readers of each deployable module, and whether a variable is read by one (it
 * changes the result, or leaving it out or setting it to a probe value fails naming it). Also how
 * long each service may take to stop, which a deployment's grace period must exceed.
 */
final class ServiceSettings {

  private static final String PROBE = "probe-value-x";

  /** The real settings readers of each Jib-built service, by module. */
  static final Map<String, Function<Map<String, String>, Object>> READERS =
      Map.of(
          "ingest", env -> withCommon(env, IngestConfig::from),
          "session-worker", env -> withCommon(env, WorkerConfig::from),
          "tool-executor", env -> withCommon(env, ToolExecutorConfigReader::read),
          "recorder", env -> withCommon(env, RecorderConfigReader::read),
          // The settings only: the webhooks file is a secret mounted into the container.
          "event-webhooks", env -> withCommon(env, EventWebhooksConfig::settings),
          "realtime-sandbox", SandboxConfig::fromEnv);

  private ServiceSettings() {}

  private static Object withCommon(Map<String, String> env, Function<ConfigSource, Object> reader) {
    ConfigSource source = ConfigSource.of(Map.of(), env);
    return fingerprint(
        List.of(reader.apply(source), KafkaSettings.from(source), LogFormat.from(source)));
  }

  /**
   * A value equal for equal settings: records by their components (recursively, so a secret held in
   * a record without value equality still compares by value), lists and optionals by their
   * elements, other classes by equals, or by text where they keep Object's identity equality.
   */
  static Object fingerprint(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof Optional<?> optional) {
      return optional.map(ServiceSettings::fingerprint);
    }
    if (value instanceof List<?> list) {
      return list.stream().map(ServiceSettings::fingerprint).toList();
    }
    Class<?> type = value.getClass();
    if (type.isRecord()) {
      List<Object> parts = new ArrayList<>();
      parts.add(type.getName());
      for (RecordComponent component : type.getRecordComponents()) {
        try {
          Method accessor = component.getAccessor();
          accessor.setAccessible(true);
          parts.add(fingerprint(accessor.invoke(value)));
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException("cannot read " + component, e);
        }
      }
      return parts;
    }
    try {
      boolean identity = type.getMethod("equals", Object.class).getDeclaringClass() == Object.class;
      return identity ? type.getName() + ":" + value : value;
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The longest a service takes from SIGTERM to exit: ingest drains live calls for {@code
   * ingest.drain-timeout}, then gives the rest 5 s to settle; the worker closes Kafka Streams with
   * a 30 s timeout (SessionWorkerService); the tool executor waits up to 10 s for tools in flight,
   * then up to 30 s for its loop; the recorder up to 30 s for its loop and 10 s for its producer.
   * The event-webhooks service gives deliveries 5 s within its loop's 30 s, then its producer 10 s.
   * The sandbox closes at once (2 s for its sessions).
   */
  static Duration drain(String module, Map<String, String> env) {
    return switch (module) {
      case "ingest" ->
          IngestConfig.from(ConfigSource.of(Map.of(), env)).limits().drainTimeout().plusSeconds(5);
      case "session-worker" -> Duration.ofSeconds(30);
      case "tool-executor" -> Duration.ofSeconds(40);
      case "recorder" -> Duration.ofSeconds(40);
      case "event-webhooks" -> Duration.ofSeconds(40);
      case "realtime-sandbox" -> Duration.ofSeconds(2);
      default -> throw new IllegalArgumentException("unknown module " + module);
    };
  }

  /**
   * Whether the reader depends on {@code name}: leaving it out or setting it to a probe value fails
   * naming it, or changes the resulting configuration.
   */
  static boolean isRead(
      Function<Map<String, String>, Object> reader, Map<String, String> env, String name) {
    Map<String, String> without = new HashMap<>(env);
    without.remove(name);
    Map<String, String> probed = new HashMap<>(without);
    probed.put(name, PROBE);
    Object base;
    try {
      base = reader.apply(without);
    } catch (RuntimeException e) {
      return mentions(e, name);
    }
    try {
      return !base.equals(reader.apply(probed));
    } catch (RuntimeException e) {
      return mentions(e, name);
    }
  }

  private static boolean mentions(RuntimeException e, String name) {
    String message = String.valueOf(e.getMessage());
    String key = name.substring(name.indexOf('_') + 1).toLowerCase();
    return message.contains(name)
        || message.contains(PROBE)
        || message.toLowerCase().replace('.', '_').replace('-', '_').contains(key);
  }
}
