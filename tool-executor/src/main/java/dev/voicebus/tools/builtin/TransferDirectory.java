package dev.voicebus.tools.builtin;

import dev.voicebus.tools.api.CallAction;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where {@code transfer_call} may send a caller by name, from {@code
 * tool-executor.transfer.directory} (or the file {@code tool-executor.transfer.directory.file}):
 * entries separated by commas or new lines, each {@code NAME=TARGET} with an E.164 number or a
 * sip:/sips: URI, e.g. {@code billing=+15551230000, sales=sip:sales@pbx.example.com}; blank lines
 * and lines starting with {@code #} are skipped. Names are matched without regard to case.
 */
public final class TransferDirectory {

  /** No directory: {@code transfer_call} takes any E.164 number or SIP URI. */
  public static final TransferDirectory NONE = new TransferDirectory(Map.of());

  private static final String KEY = "tool-executor.transfer.directory";
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9 _-]{0,63}");

  private final Map<String, String> targets;

  private TransferDirectory(Map<String, String> targets) {
    this.targets = Collections.unmodifiableMap(new LinkedHashMap<>(targets));
  }

  /** Parses the setting's value; fails naming the key, the bad entry and the valid form. */
  public static TransferDirectory parse(String value) {
    Map<String, String> targets = new LinkedHashMap<>();
    for (String line : value.split("\\R")) {
      if (line.strip().startsWith("#")) {
        continue;
      }
      for (String entry : line.split(",")) {
        if (!entry.isBlank()) {
          add(targets, entry.strip());
        }
      }
    }
    if (targets.isEmpty()) {
      throw invalid(value.strip(), "it names no destination");
    }
    return new TransferDirectory(targets);
  }

  private static void add(Map<String, String> targets, String entry) {
    int equals = entry.indexOf('=');
    if (equals < 0) {
      throw invalid(entry, "an entry is NAME=TARGET");
    }
    String name = entry.substring(0, equals).strip().toLowerCase(Locale.ROOT);
    String target = entry.substring(equals + 1).strip();
    if (!NAME.matcher(name).matches()) {
      throw invalid(entry, "a name is 1-64 of a-z 0-9 space _ -, starting with a letter or digit");
    }
    if (!CallAction.Transfer.isValidTarget(target)) {
      throw invalid(entry, "'" + target + "' is neither an E.164 number nor a sip:/sips: URI");
    }
    if (targets.put(name, target) != null) {
      throw invalid(entry, "the name " + name + " is listed twice");
    }
  }

  private static IllegalArgumentException invalid(String entry, String why) {
    return new IllegalArgumentException(
        KEY
            + " is invalid at '"
            + entry
            + "': "
            + why
            + " (e.g. billing=+15551230000, sales=sip:sales@pbx.example.com)");
  }

  public boolean isEmpty() {
    return targets.isEmpty();
  }

  /** The names, in the order configured (lower case). */
  public Iterable<String> names() {
    return targets.keySet();
  }

  /** The target named {@code name} (any case, surrounding spaces ignored). */
  public Optional<String> target(String name) {
    return Optional.ofNullable(targets.get(name.strip().toLowerCase(Locale.ROOT)));
  }

  /** Whether {@code target} is one of the directory's targets. */
  public boolean listsTarget(String target) {
    return targets.containsValue(target);
  }

  @Override
  public String toString() {
    return "TransferDirectory" + targets;
  }
}
