package dev.voicebus.launcher.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Reads the deployment files of the repository as Docker Compose and Maven would: the compose file
 * with {@code ${VAR:-default}} interpolated from an empty shell environment, and the Jib image
 * configuration of every module in the root pom.
 */
final class DeployFiles {

  private static final Pattern VARIABLE =
      Pattern.compile("\\$\\{([A-Za-z0-9_]+)(?:(:?[-?+])([^}]*))?}");

  private DeployFiles() {}

  /** The repository root: the nearest directory upwards holding docker-compose.yml. */
  static Path root() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("docker-compose.yml"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException(
          "no docker-compose.yml above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }

  static JsonNode compose() throws IOException {
    return new ObjectMapper(new YAMLFactory())
        .readTree(root().resolve("docker-compose.yml").toFile());
  }

  /** A service's environment (map or list form), interpolated with no shell variables set. */
  static Map<String, String> environment(JsonNode service) {
    Map<String, String> env = new LinkedHashMap<>();
    JsonNode node = service.path("environment");
    if (node.isArray()) {
      node.forEach(
          e -> {
            String[] parts = e.asText().split("=", 2);
            env.put(parts[0], interpolate(parts.length > 1 ? parts[1] : ""));
          });
    } else {
      node.fields().forEachRemaining(e -> env.put(e.getKey(), interpolate(e.getValue().asText())));
    }
    return env;
  }

  /** Compose interpolation for an unset variable: {@code :-}/{@code -} default, else empty. */
  static String interpolate(String text) {
    Matcher m = VARIABLE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String op = m.group(2);
      if (op != null && op.endsWith("?")) {
        throw new IllegalStateException("compose requires " + m.group(1) + ": " + m.group(3));
      }
      String value = op != null && op.endsWith("-") ? m.group(3) : "";
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** One module's jib-maven-plugin configuration. */
  record JibImage(
      String module, String image, String mainClass, List<Integer> ports, boolean hasExecutions) {}

  /** The Jib images of every module that configures one, with {@code ${project.version}} set. */
  static List<JibImage> jibImages() throws Exception {
    Path root = root();
    Document parent = parse(root.resolve("pom.xml"));
    String version = childText(parent.getDocumentElement(), "version");
    List<JibImage> images = new ArrayList<>();
    for (Element module : children(parent.getDocumentElement(), "modules", "module")) {
      Path pom = root.resolve(module.getTextContent().trim()).resolve("pom.xml");
      for (Element plugin :
          children(parse(pom).getDocumentElement(), "build", "plugins", "plugin")) {
        if ("jib-maven-plugin".equals(childText(plugin, "artifactId"))) {
          images.add(jibImage(module.getTextContent().trim(), plugin, version));
        }
      }
    }
    return images;
  }

  /** A {@code <properties>} value of the root pom (e.g. the managed Kafka client version). */
  static String rootProperty(String name) throws Exception {
    Element root = parse(root().resolve("pom.xml")).getDocumentElement();
    return childText(child(root, "properties"), name);
  }

  private static JibImage jibImage(String module, Element plugin, String version) {
    Element config = child(plugin, "configuration");
    Element container = child(config, "container");
    List<Integer> ports = new ArrayList<>();
    for (Element port : children(container, "ports", "port")) {
      ports.add(Integer.parseInt(port.getTextContent().trim()));
    }
    return new JibImage(
        module,
        childText(child(config, "to"), "image").replace("${project.version}", version),
        childText(container, "mainClass"),
        ports,
        child(plugin, "executions") != null);
  }

  private static Document parse(Path pom) throws Exception {
    return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
  }

  private static List<Element> children(Element from, String... path) {
    List<Element> current = List.of(from);
    for (String name : path) {
      List<Element> next = new ArrayList<>();
      for (Element element : current) {
        NodeList nodes = element.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
          Node n = nodes.item(i);
          if (n instanceof Element e && e.getTagName().equals(name)) {
            next.add(e);
          }
        }
      }
      current = next;
    }
    return current;
  }

  private static Element child(Element from, String name) {
    if (from == null) {
      return null;
    }
    List<Element> found = children(from, name);
    return found.isEmpty() ? null : found.get(0);
  }

  private static String childText(Element from, String name) {
    Element e = child(from, name);
    return e == null ? null : e.getTextContent().trim();
  }
}
