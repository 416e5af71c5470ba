package dev.voicebus.recorder.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Recordings in a local directory, {@code {dir}/{tenant}/{yyyy}/{mm}/{dd}/{callId}.wav} and {@code
 * .json}. Each file is copied to a temporary name next to its target and then renamed, so a reader
 * never sees half a recording. Retention deletes by the files' modification time and removes the
 * day folders it empties.
 */
public final class LocalDirectoryStore implements RecordingStore {

  private final Path root;

  public LocalDirectoryStore(Path root) throws IOException {
    this.root = root.toAbsolutePath().normalize();
    Files.createDirectories(this.root);
  }

  @Override
  public URI store(RecordingKey key, Path wav, Path sidecar) throws IOException {
    Path target = root.resolve(key.wav());
    Files.createDirectories(target.getParent());
    copy(sidecar, root.resolve(key.json()));
    copy(wav, target);
    return target.toUri();
  }

  private static void copy(Path from, Path to) throws IOException {
    Path partial = to.resolveSibling(to.getFileName() + ".partial");
    Files.copy(from, partial, StandardCopyOption.REPLACE_EXISTING);
    Files.move(partial, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  @Override
  public boolean exists(RecordingKey key) {
    return Files.exists(root.resolve(key.wav()));
  }

  @Override
  public int deleteOlderThan(Instant cutoff) throws IOException {
    AtomicInteger deleted = new AtomicInteger();
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attributes)
              throws IOException {
            String name = file.getFileName().toString();
            boolean recording = name.endsWith(".wav") || name.endsWith(".json");
            if (recording && attributes.lastModifiedTime().toInstant().isBefore(cutoff)) {
              Files.deleteIfExists(file);
              deleted.incrementAndGet();
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
            if (e != null) {
              throw e;
            }
            if (!dir.equals(root)) {
              try (var entries = Files.list(dir)) {
                if (entries.findAny().isEmpty()) {
                  Files.deleteIfExists(dir);
                }
              } catch (UncheckedIOException listing) {
                throw listing.getCause();
              }
            }
            return FileVisitResult.CONTINUE;
          }
        });
    return deleted.get();
  }

  public Path root() {
    return root;
  }

  @Override
  public String describe() {
    return "directory " + root;
  }
}
