package dev.voicebus.tools.builtin;

import dev.voicebus.tools.api.Tool;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * The demo and test tools the executor registers unless {@code
 * tool-executor.builtins.enabled=false}.
 */
public final class BuiltinTools {

  private BuiltinTools() {}

  public static List<Tool> all(Optional<Path> ordersFile) {
    return all(ordersFile, TransferDirectory.NONE);
  }

  /** The built-in tools, {@code transfer_call} limited to {@code directory} when it is set. */
  public static List<Tool> all(Optional<Path> ordersFile, TransferDirectory directory) {
    return List.of(
        new LookupOrderTool(OrderBook.load(ordersFile)),
        new GetCurrentTimeTool(Clock.systemUTC()),
        new EndCallTool(),
        new TransferCallTool(directory));
  }
}
