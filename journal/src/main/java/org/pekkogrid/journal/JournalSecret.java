package org.pekkogrid.journal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local journal's password: random, made on first use and kept in a file beside the
 * database that only its owner can read. The H2 server that the first JVM starts for the others
 * takes connections from anyone who can reach it; this password is what keeps them out.
 */
final class JournalSecret {

    private static final Logger log = LoggerFactory.getLogger(JournalSecret.class);
    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");

    private JournalSecret() {}

    /** Creates {@code dir} (owner-only) if it does not exist. */
    static void createDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) return;
        try {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_DIR));
        } catch (UnsupportedOperationException e) {
            Files.createDirectories(dir);  // not a POSIX file system: its own access rules apply
        }
    }

    /** The password in {@code file}; made first if there is none. Several JVMs may race here. */
    static String readOrCreate(Path file) throws IOException {
        if (!Files.exists(file)) create(file);
        return read(file);
    }

    private static void create(Path file) throws IOException {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Path temp = Files.createTempFile(file.getParent(), ".secret-", ".tmp", ownerOnly());
        try {
            Files.writeString(temp, secret + "\n", StandardCharsets.US_ASCII);
            // A hard link appears whole or not at all and never replaces a file: of JVMs racing
            // to make the secret, one wins and the others read its.
            Files.createLink(file, temp);
        } catch (FileAlreadyExistsException e) {
            // another JVM made it first
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static String read(Path file) throws IOException {
        tighten(file);
        String secret = Files.readString(file, StandardCharsets.US_ASCII).trim();
        if (secret.isEmpty()) {
            throw new IOException(file + " is empty; delete it only if the database beside it is new (its "
                + "password is lost with it), or restore it from a backup");
        }
        return secret;
    }

    private static void tighten(Path file) throws IOException {
        try {
            Set<PosixFilePermission> now = Files.getPosixFilePermissions(file);
            if (!OWNER_FILE.containsAll(now)) {
                log.warn("{} was readable by others ({}); made it owner-only. If others may have read it, treat the "
                    + "journal's password as known", file, PosixFilePermissions.toString(now));
                Files.setPosixFilePermissions(file, OWNER_FILE);
            }
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system
        }
    }

    private static FileAttribute<?>[] ownerOnly() {
        return posix() ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_FILE)}
            : new FileAttribute<?>[0];
    }

    private static boolean posix() {
        return java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }
}
