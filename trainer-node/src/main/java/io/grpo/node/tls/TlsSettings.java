package io.grpo.node.tls;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Artery over TLS 1.3 with mutual authentication: every node presents a certificate signed by
 * the cluster CA and accepts only peers that do the same (keystores from {@code deploy/gen-certs.sh}).
 *
 * <p>A class rather than a record so that the password has no accessor: {@link #toString()} and
 * the run's {@code config.json} (bean getters only) show where the password came from, never
 * the password itself.
 */
public final class TlsSettings {
    public static final String KEYSTORE_ENV = "GRPO_TLS_KEYSTORE";
    public static final String TRUSTSTORE_ENV = "GRPO_TLS_TRUSTSTORE";
    public static final String PASSWORD_FILE_ENV = "GRPO_TLS_PASSWORD_FILE";
    public static final String PASSWORD_ENV = "GRPO_TLS_PASSWORD";
    public static final String HOSTNAME_VERIFICATION_ENV = "GRPO_TLS_HOSTNAME_VERIFICATION";
    /** TLS 1.3's suites; Akka's defaults are TLS 1.2 ones. */
    static final List<String> CIPHER_SUITES = List.of("TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256",
            "TLS_CHACHA20_POLY1305_SHA256");

    private final Path keyStore;
    private final Path trustStore;
    private final boolean hostnameVerification;
    private final String passwordSource;
    private final String password;

    private TlsSettings(Path keyStore, Path trustStore, boolean hostnameVerification, String passwordSource,
                       String password) {
        this.keyStore = keyStore;
        this.trustStore = trustStore;
        this.hostnameVerification = hostnameVerification;
        this.passwordSource = passwordSource;
        this.password = password;
    }

    /**
     * TLS from flags (any may be null), falling back to the environment; null when neither
     * names a keystore (plain TCP). One password opens both stores (as gen-certs.sh makes them).
     *
     * @throws IllegalArgumentException naming the flag / variable that is missing or wrong
     */
    public static TlsSettings resolve(Path keyStoreFlag, Path trustStoreFlag, Path passwordFileFlag,
                                      Boolean hostnameVerificationFlag, Map<String, String> env) {
        Path keyStore = keyStoreFlag != null ? keyStoreFlag : path(env.get(KEYSTORE_ENV));
        Path trustStore = trustStoreFlag != null ? trustStoreFlag : path(env.get(TRUSTSTORE_ENV));
        if (keyStore == null && trustStore == null) {
            if (passwordFileFlag != null || hostnameVerificationFlag != null) {
                throw new IllegalArgumentException("--tls-password-file and --tls-hostname-verification need "
                        + "--tls-keystore and --tls-truststore (or " + KEYSTORE_ENV + " and " + TRUSTSTORE_ENV + ")");
            }
            return null;
        }
        if (keyStore == null) throw new IllegalArgumentException("TLS needs a keystore too: --tls-keystore or " + KEYSTORE_ENV);
        if (trustStore == null) {
            throw new IllegalArgumentException("TLS needs a truststore too: --tls-truststore or " + TRUSTSTORE_ENV);
        }
        String source;
        String password;
        Path passwordFile = passwordFileFlag != null ? passwordFileFlag : path(env.get(PASSWORD_FILE_ENV));
        if (passwordFile != null) {
            source = "file " + passwordFile;
            password = readPassword(passwordFile);
        } else if (env.get(PASSWORD_ENV) != null && !env.get(PASSWORD_ENV).isEmpty()) {
            source = "environment " + PASSWORD_ENV;
            password = env.get(PASSWORD_ENV);
        } else {
            throw new IllegalArgumentException("TLS needs the keystore password: --tls-password-file, "
                    + PASSWORD_FILE_ENV + " or " + PASSWORD_ENV);
        }
        boolean verify = hostnameVerificationFlag != null ? hostnameVerificationFlag
                : flag(env.get(HOSTNAME_VERIFICATION_ENV));
        TlsSettings tls = new TlsSettings(keyStore.toAbsolutePath(), trustStore.toAbsolutePath(), verify, source, password);
        tls.checkStores();
        return tls;
    }

    private static Path path(String s) {
        return s == null || s.isBlank() ? null : Path.of(s.trim());
    }

    private static boolean flag(String s) {
        if (s == null || s.isBlank()) return false;
        return switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "on", "true", "yes", "1" -> true;
            case "off", "false", "no", "0" -> false;
            default -> throw new IllegalArgumentException(HOSTNAME_VERIFICATION_ENV + " must be on or off, got '" + s + "'");
        };
    }

    private static String readPassword(Path file) {
        try {
            String p = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (p.isEmpty()) throw new IllegalArgumentException("TLS password file " + file + " is empty");
            return p;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read TLS password file " + file + ": " + e.getMessage());
        }
    }

    /** Fails now, with the file named, rather than at the first connection deep in Akka's logs. */
    private void checkStores() {
        KeyStore keys = open(keyStore, "keystore");
        KeyStore trusted = open(trustStore, "truststore");
        try {
            if (Collections.list(keys.aliases()).stream().noneMatch(a -> isKey(keys, a))) {
                throw new IllegalArgumentException("keystore " + keyStore + " holds no private key");
            }
            if (trusted.size() == 0) throw new IllegalArgumentException("truststore " + trustStore + " holds no certificate");
        } catch (java.security.KeyStoreException e) {
            throw new IllegalArgumentException("cannot read " + keyStore + ": " + e.getMessage());
        }
    }

    private static boolean isKey(KeyStore ks, String alias) {
        try {
            return ks.isKeyEntry(alias);
        } catch (java.security.KeyStoreException e) {
            return false;
        }
    }

    private KeyStore open(Path file, String what) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IllegalArgumentException("TLS " + what + " " + file + " is not a readable file");
        }
        try (InputStream in = Files.newInputStream(file)) {
            // The type Akka's ConfigSSLEngineProvider uses (PKCS12 on Java 17, which also reads JKS).
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(in, password.toCharArray());
            return ks;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot open TLS " + what + " " + file + " with the password from "
                    + passwordSource + " (" + e.getMessage() + ")");
        }
    }

    /** The Artery settings for {@code tls-tcp}; the only place the password leaves this object. */
    public Config akkaConfig() {
        String engine = "akka.remote.artery.ssl.config-ssl-engine.";
        return ConfigFactory.empty()
                .withValue("akka.remote.artery.transport", ConfigValueFactory.fromAnyRef("tls-tcp"))
                .withValue("akka.remote.artery.ssl.ssl-engine-provider",
                        ConfigValueFactory.fromAnyRef("akka.remote.artery.tcp.ConfigSSLEngineProvider"))
                .withValue(engine + "key-store", ConfigValueFactory.fromAnyRef(keyStore.toString()))
                .withValue(engine + "trust-store", ConfigValueFactory.fromAnyRef(trustStore.toString()))
                .withValue(engine + "key-store-password", ConfigValueFactory.fromAnyRef(password))
                .withValue(engine + "key-password", ConfigValueFactory.fromAnyRef(password))
                .withValue(engine + "trust-store-password", ConfigValueFactory.fromAnyRef(password))
                .withValue(engine + "protocol", ConfigValueFactory.fromAnyRef("TLSv1.3"))
                .withValue(engine + "enabled-algorithms", ConfigValueFactory.fromIterable(CIPHER_SUITES))
                .withValue(engine + "require-mutual-authentication", ConfigValueFactory.fromAnyRef(true))
                .withValue(engine + "hostname-verification", ConfigValueFactory.fromAnyRef(hostnameVerification));
    }

    public String getKeyStore() {
        return keyStore.toString();
    }

    public String getTrustStore() {
        return trustStore.toString();
    }

    public boolean isHostnameVerification() {
        return hostnameVerification;
    }

    /** Where the password came from (a file or a variable), for logs and config.json. */
    public String getPasswordSource() {
        return passwordSource;
    }

    @Override
    public String toString() {
        return "TLSv1.3, mutual auth, keystore " + keyStore + ", truststore " + trustStore + ", password from "
                + passwordSource + ", hostname verification " + (hostnameVerification ? "on" : "off");
    }
}
