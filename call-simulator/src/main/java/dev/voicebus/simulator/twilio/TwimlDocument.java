package dev.voicebus.simulator.twilio;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * A TwiML document as Twilio reads it, for the simulated Twilio: a {@code <Response>} of known
 * verbs, and what the simulated call does with it (connect a Media Stream, dial a target, say
 * something, hang up). Parsing fails, as Twilio's would, on malformed XML, a DOCTYPE, another root,
 * an unknown verb, a {@code <Stream>} without a url or a {@code <Dial>} without a target.
 */
public record TwimlDocument(
    Optional<Stream> stream, Optional<String> dialTarget, List<String> says, boolean hangsUp) {

  private static final Set<String> VERBS =
      Set.of(
          "Connect",
          "Dial",
          "Say",
          "Hangup",
          "Pause",
          "Play",
          "Redirect",
          "Gather",
          "Reject",
          "Record",
          "Start",
          "Stop",
          "Enqueue",
          "Leave");

  /** {@code <Connect><Stream url="..."><Parameter name value/>...}. */
  public record Stream(String url, Map<String, String> parameters) {
    public Stream {
      parameters = Map.copyOf(parameters);
    }
  }

  public TwimlDocument {
    says = List.copyOf(says);
  }

  /** Parses {@code xml}; an {@link IllegalArgumentException} says why Twilio would not run it. */
  public static TwimlDocument parse(String xml) {
    Element root = rootOf(xml);
    if (!root.getTagName().equals("Response")) {
      throw new IllegalArgumentException(
          "the root element is <" + root.getTagName() + ">, not <Response>");
    }
    Stream stream = null;
    String dial = null;
    List<String> says = new ArrayList<>();
    boolean hangsUp = false;
    for (Element verb : children(root)) {
      String name = verb.getTagName();
      if (!VERBS.contains(name)) {
        throw new IllegalArgumentException("<" + name + "> is not a TwiML verb");
      }
      switch (name) {
        case "Connect" -> stream = stream(verb);
        case "Dial" -> dial = dialTarget(verb);
        case "Say" -> says.add(verb.getTextContent().strip());
        case "Hangup" -> hangsUp = true;
        default -> {
          // Other verbs are valid TwiML the simulator does not act on.
        }
      }
    }
    return new TwimlDocument(Optional.ofNullable(stream), Optional.ofNullable(dial), says, hangsUp);
  }

  private static Stream stream(Element connect) {
    for (Element child : children(connect)) {
      if (child.getTagName().equals("Stream")) {
        String url = child.getAttribute("url");
        if (url.isBlank()) {
          throw new IllegalArgumentException("<Stream> has no url");
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        for (Element parameter : children(child)) {
          if (parameter.getTagName().equals("Parameter")) {
            parameters.put(parameter.getAttribute("name"), parameter.getAttribute("value"));
          }
        }
        return new Stream(url, parameters);
      }
    }
    throw new IllegalArgumentException("<Connect> holds no <Stream>");
  }

  private static String dialTarget(Element dial) {
    for (Element child : children(dial)) {
      if (Set.of("Sip", "Number", "Client").contains(child.getTagName())) {
        return child.getTextContent().strip();
      }
    }
    String text = dial.getTextContent().strip();
    if (text.isEmpty()) {
      throw new IllegalArgumentException("<Dial> names no number or SIP URI");
    }
    return text;
  }

  private static Element rootOf(String xml) {
    try {
      var factory = DocumentBuilderFactory.newInstance();
      factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      factory.setExpandEntityReferences(false);
      return factory
          .newDocumentBuilder()
          .parse(new InputSource(new StringReader(xml)))
          .getDocumentElement();
    } catch (SAXException | IOException e) {
      throw new IllegalArgumentException("not well-formed XML: " + e.getMessage(), e);
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException("no safe XML parser in this JVM", e);
    }
  }

  private static List<Element> children(Element parent) {
    List<Element> elements = new ArrayList<>();
    for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
      if (node instanceof Element element) {
        elements.add(element);
      }
    }
    return elements;
  }
}
