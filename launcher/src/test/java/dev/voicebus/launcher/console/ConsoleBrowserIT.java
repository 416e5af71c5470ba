package dev.voicebus.launcher.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.voicebus.launcher.audio.CallerAudio;
import dev.voicebus.launcher.demo.AnalyticsReport;
import dev.voicebus.launcher.demo.ConversationalCaller;
import dev.voicebus.launcher.local.LocalOptions;
import dev.voicebus.launcher.local.LocalStack;
import dev.voicebus.simulator.SimulatorOptions;
import dev.voicebus.simulator.TwilioCallSimulator;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The web console in a real browser (the machine's Chromium, headless) against the whole stack in
 * one process: the embedded broker, the Realtime sandbox, ingest, a worker, the tool executor and
 * analytics. A known call (the demo's recording as a Twilio call) is listed and shown as a
 * timeline; the usage page charts it; and talking to the agent through the page, with a WAV as the
 * microphone, gets the agent's answer in the live transcript and its audio played. Screenshots go
 * to {@code target/console-screenshots/}. Without a browser the tests are skipped, saying why.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleBrowserIT {

  private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
  private static final Duration WAIT = Duration.ofSeconds(60);

  private Chromium chromium;
  private LocalStack stack;
  private String callId;

  @BeforeAll
  void startStackAndPlaceAKnownCall() throws Exception {
    var why = new StringBuilder();
    Optional<Chromium> found = Chromium.find(why);
    if (found.isEmpty()) {
      System.err.println("\n*** ConsoleBrowserIT SKIPPED: " + why + " ***\n");
    }
    assumeTrue(found.isPresent(), why::toString);
    chromium = found.get();
    Files.createDirectories(SCREENSHOTS);
    stack = LocalStack.start(new LocalOptions(Optional.empty(), 0, 0, Map.of()), line -> {});
    JsonNode call = placeKnownCall();
    callId = call.path("callId").asText();
  }

  @AfterAll
  void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  private JsonNode placeKnownCall() throws Exception {
    CallerAudio audio;
    try (InputStream in = getClass().getClassLoader().getResourceAsStream("demo/caller.wav")) {
      audio = CallerAudio.read(in, "demo/caller.wav");
    }
    URI twilio = URI.create("ws://127.0.0.1:" + stack.ingestPort() + "/twilio/media");
    try (var simulator =
        new TwilioCallSimulator(SimulatorOptions.of(twilio, stack.twilioAuthToken()), 1)) {
      var call = simulator.call(Map.of("agentProfile", "support")).get(15, TimeUnit.SECONDS);
      new ConversationalCaller(call, Duration.ofSeconds(30), line -> {})
          .converse(audio.utterances(700));
      call.sendStop();
      return new AnalyticsReport(stack.analyticsPort().orElseThrow(), stack.apiToken())
          .finalCall(call.callSid(), WAIT)
          .orElseThrow(() -> new AssertionError("the known call's document never became final"));
    }
  }

  private String console(String route) {
    return stack.consoleUrl().orElseThrow() + "#token=" + stack.apiToken() + route;
  }

  /** Waits until the page shows what {@code condition} looks for (elements may come and go). */
  private static void until(WebDriver driver, Predicate<WebDriver> condition) {
    await().atMost(WAIT).ignoreExceptions().until(() -> condition.test(driver));
  }

  @Test
  void theCallListShowsTheKnownCallAndItsTimelineShowsTheConversation() throws Exception {
    ChromeDriver driver = chromium.start(Optional.empty());
    try {
      driver.get(console(""));
      until(driver, d -> !d.findElements(By.id("live-calls")).isEmpty());
      driver.get(stack.consoleUrl().orElseThrow() + "#/calls");
      By row = By.cssSelector("#calls-table tr[data-call-id='" + callId + "']");
      until(driver, d -> !d.findElements(row).isEmpty());
      assertThat(driver.findElement(row).getText()).contains("6").contains("1");
      screenshot(driver, "calls");

      driver.findElement(row).click();
      until(driver, d -> d.findElements(By.cssSelector("#timeline .turn")).size() == 6);
      var turns = driver.findElements(By.cssSelector("#timeline .turn"));
      assertThat(turns.get(0).getAttribute("data-speaker")).isEqualTo("CALLER");
      assertThat(turns.get(0).getText()).contains("Hi, I'd like to check on my order.");
      assertThat(turns.get(1).getAttribute("data-speaker")).isEqualTo("AGENT");
      assertThat(turns.get(1).getText()).contains("Hello, thanks for calling Acme support.");
      assertThat(
              driver
                  .findElement(By.cssSelector("#timeline .tool-call[data-tool='lookup_order']"))
                  .getText())
          .contains("order_id")
          .contains("OK");
      assertThat(driver.findElements(By.cssSelector("#timeline .latency-bar")))
          .hasSizeGreaterThanOrEqualTo(2);
      assertThat(driver.findElement(By.id("call-status")).getText()).isEqualTo("ENDED");
      screenshot(driver, "call");
    } finally {
      driver.quit();
    }
  }

  @Test
  void theUsagePageChartsTheTenantsCalls() throws Exception {
    ChromeDriver driver = chromium.start(Optional.empty());
    try {
      driver.get(console(""));
      until(driver, d -> !d.findElements(By.id("live-calls")).isEmpty());
      driver.get(stack.consoleUrl().orElseThrow() + "#/usage");
      until(driver, d -> !d.findElements(By.cssSelector("#usage-calls b")).isEmpty());
      assertThat(Integer.parseInt(driver.findElement(By.cssSelector("#usage-calls b")).getText()))
          .isPositive();
      assertThat(Long.parseLong(driver.findElement(By.cssSelector("#usage-tokens b")).getText()))
          .isPositive();
      assertThat(driver.findElements(By.cssSelector("#usage-chart rect.bar"))).isNotEmpty();
      screenshot(driver, "usage");
    } finally {
      driver.quit();
    }
  }

  @Test
  void talkingThroughTheMicrophoneGetsTheAgentsAnswerAndItsTranscript() throws Exception {
    Path microphone = Files.createTempFile("voicebus-caller-", ".wav");
    writePcmWav(microphone);
    ChromeDriver driver = chromium.start(Optional.of(microphone));
    try {
      driver.get(console(""));
      until(driver, d -> !d.findElements(By.id("live-calls")).isEmpty());
      driver.get(stack.consoleUrl().orElseThrow() + "#/talk");
      until(driver, d -> d.findElement(By.id("talk-start")).isEnabled());
      driver.findElement(By.id("talk-start")).click();
      try {
        until(driver, d -> !d.findElement(By.id("talk-call-id")).getText().equals("–"));
      } catch (RuntimeException e) {
        screenshot(driver, "talk-failed");
        throw new AssertionError(
            "no call started; the page says: "
                + driver.findElement(By.id("talk-status")).getText()
                + "; browser log: "
                + driver.manage().logs().get("browser").getAll(),
            e);
      }
      String talkCall = driver.findElement(By.id("talk-call-id")).getText();
      By agent = By.cssSelector("#talk-transcript .line.agent");
      until(
          driver,
          d ->
              d.findElements(agent).stream()
                  .anyMatch(e -> e.getText().contains("Hello, thanks for calling Acme support")));
      assertThat(driver.findElements(By.cssSelector("#talk-transcript .line.caller"))).isNotEmpty();
      until(driver, d -> Integer.parseInt(d.findElement(By.id("talk-agent-audio")).getText()) > 10);
      screenshot(driver, "talk");

      driver.get(stack.consoleUrl().orElseThrow() + "#/live");
      By liveRow = By.cssSelector("#live-calls tr[data-call-id='" + talkCall + "']");
      until(driver, d -> !d.findElements(liveRow).isEmpty());
      screenshot(driver, "live");
    } finally {
      driver.quit();
    }
  }

  private static void screenshot(ChromeDriver driver, String name) throws IOException {
    File shot = driver.getScreenshotAs(OutputType.FILE);
    Files.copy(
        shot.toPath(),
        SCREENSHOTS.resolve(name + ".png"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  /** The demo's caller recording (8 kHz mu-law) as 16-bit PCM, which the fake microphone plays. */
  private void writePcmWav(Path target) throws Exception {
    try (InputStream in = getClass().getClassLoader().getResourceAsStream("demo/caller.wav");
        AudioInputStream mulaw =
            AudioSystem.getAudioInputStream(new java.io.BufferedInputStream(in))) {
      var pcm = new AudioFormat(AudioFormat.Encoding.PCM_SIGNED, 8000, 16, 1, 2, 8000, false);
      try (AudioInputStream converted = AudioSystem.getAudioInputStream(pcm, mulaw)) {
        AudioSystem.write(converted, AudioFileFormat.Type.WAVE, target.toFile());
      }
    }
  }
}
