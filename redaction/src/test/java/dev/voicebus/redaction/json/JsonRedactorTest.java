package dev.voicebus.redaction.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebus.redaction.Redactor;
import dev.voicebus.redaction.crypto.FieldCipher;
import dev.voicebus.redaction.crypto.FieldKey;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonRedactorTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final Redactor redactor = Redactor.defaults();

  private JsonNode redact(String json) throws Exception {
    return MAPPER.readTree(redactor.redactJson(json));
  }

  @Test
  void cardNumbersInStringsAndDigitOnlyNumbersAreReplacedAndTheDocumentStaysValid()
      throws Exception {
    JsonNode out =
        redact(
            "{\"note\": \"card 4111 1111 1111 1111 please\", \"pan\": 5555555555554444,"
                + " \"qty\": 2, \"price\": 1234.56, \"items\": [\"A1001\", 12345678]}");
    assertThat(out.get("note").asText()).isEqualTo("card [card ****1111] please");
    assertThat(out.get("pan").asText()).isEqualTo("[card ****4444]");
    assertThat(out.get("qty").intValue()).isEqualTo(2);
    assertThat(out.get("price").decimalValue()).isEqualByComparingTo("1234.56");
    assertThat(out.get("items").get(0).asText()).isEqualTo("A1001");
    assertThat(out.get("items").get(1).longValue()).isEqualTo(12345678L);
  }

  @Test
  void fieldNamesGiveTheirValuesContext() throws Exception {
    JsonNode out =
        redact(
            "{\"cvv\": \"123\", \"securityCode\": 456, \"expiry_date\": \"12/27\","
                + " \"ssn\": \"536221234\", \"order_id\": \"123\"}");
    assertThat(out.get("cvv").asText()).isEqualTo("[cvv]");
    assertThat(out.get("securityCode").asText()).isEqualTo("[cvv]");
    assertThat(out.get("expiry_date").asText()).isEqualTo("[expiry]");
    assertThat(out.get("ssn").asText()).isEqualTo("[ssn]");
    assertThat(out.get("order_id").asText()).isEqualTo("123");
  }

  @Test
  void inADocumentHoldingACardGenericCardFieldsAreRedactedToo() throws Exception {
    JsonNode out =
        redact(
            "{\"card\": {\"number\": \"4111111111111111\", \"code\": \"737\","
                + " \"exp_month\": 12, \"exp_year\": 2027}, \"amount\": \"125\"}");
    assertThat(out.get("card").get("number").asText()).isEqualTo("[card ****1111]");
    assertThat(out.get("card").get("code").asText()).isEqualTo("[cvv]");
    assertThat(out.get("card").get("exp_month").asText()).isEqualTo("[expiry]");
    assertThat(out.get("card").get("exp_year").asText()).isEqualTo("[expiry]");
    assertThat(out.get("amount").asText()).isEqualTo("125");
  }

  @Test
  void withoutACardAGenericCodeFieldIsLeftAlone() throws Exception {
    assertThat(redact("{\"code\": \"737\", \"year\": 2027}"))
        .isEqualTo(MAPPER.readTree("{\"code\": \"737\", \"year\": 2027}"));
  }

  @Test
  void sealedValuesAreKeptAsTheyAre() throws Exception {
    FieldCipher cipher = FieldCipher.of(FieldKey.of("k1", new byte[32]));
    String sealed =
        cipher.sealFields(
            "{\"pan\": \"4111111111111111\", \"cvv\": \"123\"}", List.of("/pan", "/cvv"));
    assertThat(redactor.redactJson(sealed)).isEqualTo(MAPPER.readTree(sealed).toString());
  }

  @Test
  void textThatIsNotJsonIsRedactedAsText() {
    assertThat(redactor.redactJson("{\"pan\": \"4111 1111 1111 1111\""))
        .isEqualTo("{\"pan\": \"[card ****1111]\"");
  }
}
