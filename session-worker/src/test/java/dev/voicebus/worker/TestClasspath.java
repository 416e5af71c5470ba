package dev.voicebus.worker;

import java.io.File;
import java.net.URI;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The classpath the current code runs with, for starting child JVMs (sandbox, workers). Under
 * {@code exec:java} that is the context class loader's URLs, not {@code java.class.path}.
 */
public final class TestClasspath {

  private TestClasspath() {}

  public static String current() {
    if (Thread.currentThread().getContextClassLoader() instanceof URLClassLoader loader) {
      List<String> parts = new ArrayList<>();
      for (var url : loader.getURLs()) {
        parts.add(Path.of(URI.create(url.toString())).toString());
      }
      return String.join(File.pathSeparator, parts);
    }
    return System.getProperty("java.class.path");
  }
}
