package dev.voicebus.redaction.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NumberWordsTest {

  private static List<DigitRun> runs(String text) {
    return RunBuilder.build(Tokens.of(text, 0, text.length()), 0);
  }

  private static String digits(String text) {
    List<DigitRun> runs = runs(text);
    assertThat(runs).as("runs in '%s'", text).hasSize(1);
    return runs.get(0).digits();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '=',
      value = {
        "four one one one = 4111",
        "oh four = 04",
        "zero nought naught = 000",
        "double four = 44",
        "triple seven = 777",
        "double oh seven = 007",
        "double 4 = 44",
        "twelve twenty-seven = 1227",
        "twenty seven = 27",
        "forty-one eleven = 4111",
        "twenty twenty-seven = 2027",
        "four hundred and twelve = 412",
        "one hundred five = 105",
        "twelve hundred = 1200",
        "two thousand twenty-seven = 2027",
        "two thousand and nine = 2009",
        "4111 1111 one one one one = 411111111111",
        "4111-1111-1111 = 411111111111",
        "12/27 = 1227",
        "twelve slash twenty-seven = 1227",
        "Four, one, one. One = 4111",
      })
  void spokenAndWrittenNumbersBecomeTheirDigits(String spoken, String expected) {
    assertThat(digits(spoken)).isEqualTo(expected);
  }

  @Test
  void aRunKeepsTheExactCharacterSpanOfItsWords() {
    String text = "it is four double one, one and more";
    DigitRun run = runs(text).get(0);
    assertThat(text.substring(run.start(), run.end())).isEqualTo("four double one, one");
    assertThat(run.groups()).extracting(DigitGroup::digits).containsExactly("4", "11", "1");
  }

  @Test
  void wordsThatAreNotNumbersEndARun() {
    assertThat(runs("order A1001 for 2 people")).extracting(DigitRun::digits).containsExactly("2");
    assertThat(runs("four and four")).extracting(DigitRun::digits).containsExactly("4", "4");
    assertThat(runs("double check the one")).extracting(DigitRun::digits).containsExactly("1");
  }

  @Test
  void onlyPrefixesOfNumberWordsCountAsUnfinishedNumbers() {
    assertThat(NumberWords.isStarterPrefix("fo")).isTrue();
    assertThat(NumberWords.isStarterPrefix("dou")).isTrue();
    assertThat(NumberWords.isStarterPrefix("the")).isFalse();
    assertThat(NumberWords.isStarterPrefix("hund")).isFalse();
    assertThat(NumberWords.isAnyPrefix("hund")).isTrue();
  }
}
