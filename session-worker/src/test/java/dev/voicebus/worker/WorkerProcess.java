package dev.voicebus.worker;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A session worker in its own JVM ({@link SessionWorkerMain} with a settings file), so a test can
 * kill it the way an operating system would: {@link #kill()} sends SIGKILL. Output goes to {@code
 * target/<name>.log}.
 */
final class WorkerProcess implements AutoCloseable {

  private final Process process;
  final String name;

  private WorkerProcess(Process process, String name) {
    this.process = process;
    this.name = name;
  }

  static WorkerProcess start(Map<String, String> settings, String name) throws IOException {
    Path stateDir = Files.createTempDirectory("worker-" + name + "-");
    Map<String, String> own = new HashMap<>(settings);
    own.put("worker.state-dir", stateDir.toString());
    // Several workers share this machine: each admin port is ephemeral unless a test sets one.
    own.putIfAbsent("worker.admin-port", "0");
    Path file = Files.createTempFile("worker-" + name + "-", ".properties");
    var properties = new Properties();
    properties.putAll(own);
    try (Writer out = Files.newBufferedWriter(file)) {
      properties.store(out, "worker " + name);
    }
    String java = ProcessHandle.current().info().command().orElse("java");
    Process process =
        new ProcessBuilder(
                java,
                "-Xmx512m",
                "-cp",
                TestClasspath.current(),
                SessionWorkerMain.class.getName(),
                file.toString())
            .redirectErrorStream(true)
            .redirectOutput(Path.of("target", name + ".log").toFile())
            .start();
    return new WorkerProcess(process, name);
  }

  /** SIGKILL: no shutdown hooks, no leaving the group, sockets dropped by the kernel. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /** SIGTERM: the worker's shutdown hook hands its calls over and leaves the group. */
  void terminate() {
    process.destroy();
  }

  /** Waits for the process to exit; true if it did within {@code timeout}. */
  boolean awaitExit(java.time.Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  boolean isAlive() {
    return process.isAlive();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }
}
