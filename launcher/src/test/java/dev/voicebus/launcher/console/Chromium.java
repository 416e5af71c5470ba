package dev.voicebus.launcher.console;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The machine's own Chromium and chromedriver (Debian's {@code chromium} and {@code
 * chromium-driver} packages, or {@code VOICEBUS_CHROMIUM} / {@code VOICEBUS_CHROMEDRIVER}), driven
 * headless by Selenium. Both paths are given to Selenium, so Selenium Manager never looks for or
 * downloads a browser or a driver. Each driver gets a fresh profile directory.
 */
final class Chromium {

  private static final Path DEFAULT_BROWSER = Path.of("/usr/bin/chromium");
  private static final Path DEFAULT_DRIVER = Path.of("/usr/bin/chromedriver");

  private final Path browser;
  private final Path driver;

  private Chromium(Path browser, Path driver) {
    this.browser = browser;
    this.driver = driver;
  }

  /** The browser and driver of this machine, or why there are none. */
  static Optional<Chromium> find(StringBuilder why) {
    Path browser = path("VOICEBUS_CHROMIUM", DEFAULT_BROWSER);
    Path driver = path("VOICEBUS_CHROMEDRIVER", DEFAULT_DRIVER);
    if (!Files.isExecutable(browser) || !Files.isExecutable(driver)) {
      why.append("no Chromium browser and driver at ")
          .append(browser)
          .append(" and ")
          .append(driver)
          .append(
              ": install them with `apt-get install -y chromium chromium-driver` (.ci/run does),")
          .append(" or point VOICEBUS_CHROMIUM and VOICEBUS_CHROMEDRIVER at them");
      return Optional.empty();
    }
    return Optional.of(new Chromium(browser, driver));
  }

  private static Path path(String variable, Path fallback) {
    String value = System.getenv(variable);
    return value == null || value.isBlank() ? fallback : Path.of(value);
  }

  /** A headless browser; {@code fakeMicrophone}, if given, is what its microphone hears. */
  ChromeDriver start(Optional<Path> fakeMicrophone) throws IOException {
    var options = new ChromeOptions();
    options.setBinary(browser.toFile());
    List<String> args =
        new ArrayList<>(
            List.of(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
                "--autoplay-policy=no-user-gesture-required",
                "--window-size=1280,900",
                "--user-data-dir=" + Files.createTempDirectory("voicebus-chromium-")));
    fakeMicrophone.ifPresent(
        wav -> {
          args.add("--use-fake-device-for-media-stream");
          args.add("--use-fake-ui-for-media-stream");
          args.add("--use-file-for-fake-audio-capture=" + wav);
        });
    options.addArguments(args);
    var service = new ChromeDriverService.Builder().usingDriverExecutable(driver.toFile()).build();
    var chrome = new ChromeDriver(service, options);
    chrome.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    return chrome;
  }
}
