package dev.voicebus.observability.log;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import dev.voicebus.schemas.config.ConfigSource;
import java.util.Iterator;
import java.util.Locale;
import net.logstash.logback.encoder.LogstashEncoder;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * How a service writes its log lines, chosen by {@code log.format} ({@code VOICEBUS_LOG_FORMAT}):
 * {@code text} (the default) keeps the readable pattern of the logback configuration; {@code json}
 * switches every console and file appender to one JSON object per line (logstash-logback-encoder:
 * {@code @timestamp}, {@code level}, {@code logger_name}, {@code thread_name}, {@code message},
 * {@code stack_trace}, and each MDC entry, such as {@code callId}, {@code tenantId} and {@code
 * sessionId}, as a top-level field), for log pipelines that index fields.
 */
public enum LogFormat {
  TEXT,
  JSON;

  public static final String KEY = "log.format";

  /** The format chosen by {@code source}; fails naming the key, the value and the valid ones. */
  public static LogFormat from(ConfigSource source) {
    String raw = source.string(KEY, "text");
    return switch (raw.toLowerCase(Locale.ROOT)) {
      case "text" -> TEXT;
      case "json" -> JSON;
      default ->
          throw new IllegalArgumentException(
              KEY
                  + " ("
                  + ConfigSource.envName(KEY)
                  + ")='"
                  + raw
                  + "' is invalid: use text or json");
    };
  }

  /**
   * Reads the format from {@code source} and applies it to the running logback; see {@link
   * #apply()}.
   */
  public static LogFormat configure(ConfigSource source) {
    LogFormat format = from(source);
    format.apply();
    return format;
  }

  /**
   * Applies this format to the process's logback configuration. A no-op for {@code text}, and when
   * SLF4J is not bound to logback (an embedding application owns its logging then).
   */
  public void apply() {
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    if (factory instanceof LoggerContext context) {
      apply(context);
    }
  }

  /**
   * Applies this format to every output-stream appender attached to a logger of {@code context}.
   */
  public void apply(LoggerContext context) {
    if (this == TEXT) {
      return;
    }
    for (Logger logger : context.getLoggerList()) {
      for (Iterator<Appender<ILoggingEvent>> it = logger.iteratorForAppenders(); it.hasNext(); ) {
        if (it.next() instanceof OutputStreamAppender<ILoggingEvent> appender
            && !(appender.getEncoder() instanceof LogstashEncoder)) {
          useJson(context, appender);
        }
      }
    }
  }

  private static void useJson(LoggerContext context, OutputStreamAppender<ILoggingEvent> appender) {
    LogstashEncoder encoder = new LogstashEncoder();
    encoder.setContext(context);
    encoder.setIncludeContext(false);
    encoder.start();
    // Swapped in place: stopping the appender would close its stream (a file, or a test's).
    var previous = appender.getEncoder();
    appender.setEncoder(encoder);
    if (previous != null) {
      previous.stop();
    }
  }
}
