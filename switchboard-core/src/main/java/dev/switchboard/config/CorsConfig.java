package dev.switchboard.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * {@code server.cors}: which browser origins may call the API from their own pages. Off unless
 * {@code allowed_origins} lists one.
 *
 * <ul>
 *   <li>{@code allowed_origins} (default empty: CORS off): origins written {@code scheme://host[:port]}; they are
 *       normalised (lower case, the scheme's default port dropped, a lone trailing {@code /} dropped). A path, query,
 *       user or wildcard host is refused. {@code "*"} allows every origin, only with {@code allow_credentials: false}.</li>
 *   <li>{@code allow_credentials} (default false): answer {@code Access-Control-Allow-Credentials: true}, so pages
 *       may send cookies and {@code Authorization} with {@code credentials: 'include'}.</li>
 *   <li>{@code max_age_seconds} (default 600): how long a browser may cache a preflight answer.</li>
 *   <li>{@code allowed_headers}: request headers a page may send, case-insensitive; a trailing {@code *} matches by
 *       prefix ({@code x-stainless-*}). Requested headers outside the list are left out of the preflight answer,
 *       so the browser refuses the call. Default {@link #DEFAULT_ALLOWED_HEADERS}.</li>
 *   <li>{@code allowed_methods} (default GET, POST, PUT, PATCH, DELETE).</li>
 *   <li>{@code exposed_headers}: response headers a page's script may read. Default {@link #DEFAULT_EXPOSED_HEADERS}.</li>
 * </ul>
 *
 * Every check is made here rather than in {@link ConfigValidator}, so a {@code CorsConfig} built in code is as valid
 * as one read from a file; the loader reports a failure as {@code server.cors: <key>: ...}.
 */
public record CorsConfig(List<String> allowedOrigins, Boolean allowCredentials, Integer maxAgeSeconds,
                         List<String> allowedHeaders, List<String> allowedMethods, List<String> exposedHeaders) {

    /** What the SDKs and the seed's frontend send: auth, JSON, routing hints and the SDKs' own headers. */
    public static final List<String> DEFAULT_ALLOWED_HEADERS = List.of("authorization", "content-type", "x-api-key",
            "x-openrouter-session", "x-switchboard-task", "openai-organization", "openai-project", "openai-beta",
            "anthropic-version", "anthropic-beta", "x-stainless-*", "accept", "accept-language", "cache-control");
    public static final List<String> DEFAULT_ALLOWED_METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE");
    /**
     * The headers the server sets that a script wants beyond the CORS-safelisted ones: {@code retry-after} on 429 and
     * 503, {@code www-authenticate} on 401, {@code content-type}, and {@code x-request-id} for a proxy in front.
     */
    public static final List<String> DEFAULT_EXPOSED_HEADERS = List.of("retry-after", "x-request-id", "content-type",
            "www-authenticate");
    public static final int DEFAULT_MAX_AGE_SECONDS = 600;
    public static final String ANY_ORIGIN = "*";

    // RFC 9110 token characters; a header name or method is one token.
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    public CorsConfig {
        allowedOrigins = origins(allowedOrigins);
        allowCredentials = allowCredentials != null && allowCredentials;
        maxAgeSeconds = maxAgeSeconds == null ? DEFAULT_MAX_AGE_SECONDS : maxAgeSeconds;
        allowedHeaders = tokens("allowed_headers", allowedHeaders, DEFAULT_ALLOWED_HEADERS, s -> s.toLowerCase(Locale.ROOT));
        allowedMethods = tokens("allowed_methods", allowedMethods, DEFAULT_ALLOWED_METHODS, s -> s.toUpperCase(Locale.ROOT));
        exposedHeaders = tokens("exposed_headers", exposedHeaders, DEFAULT_EXPOSED_HEADERS, s -> s.toLowerCase(Locale.ROOT));
        if (maxAgeSeconds < 0) {
            throw new IllegalArgumentException("max_age_seconds: '" + maxAgeSeconds + "' is not valid, expected 0 or more");
        }
        if (allowCredentials && allowedOrigins.contains(ANY_ORIGIN)) {
            // Browsers refuse '*' on a credentialed request, and echoing any origin with credentials would let every
            // site act with the user's cookies: the operator must name the origins.
            throw new IllegalArgumentException("allowed_origins: '*' cannot be used with allow_credentials: true; "
                    + "list the origins that may call with credentials, or set allow_credentials: false");
        }
    }

    /** CORS off: no origin listed. */
    public static CorsConfig off() {
        return new CorsConfig(null, null, null, null, null, null);
    }

    public boolean enabled() {
        return !allowedOrigins.isEmpty();
    }

    public boolean anyOrigin() {
        return allowedOrigins.contains(ANY_ORIGIN);
    }

    /**
     * An origin as browsers write it in the {@code Origin} header: {@code scheme://host[:port]}, lower case, without
     * the scheme's default port. Throws {@link IllegalArgumentException} saying what is wrong.
     */
    public static String normaliseOrigin(String origin) {
        URI uri;
        try {
            uri = new URI(origin.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL (" + e.getReason() + ")");
        }
        if (uri.getScheme() == null || uri.isOpaque() || uri.getHost() == null) {
            throw new IllegalArgumentException("no scheme://host (a wildcard host is not supported)");
        }
        if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null
                || !(uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"))) {
            throw new IllegalArgumentException("an origin has no path, query, fragment or user");
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort();
        boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
    }

    private static List<String> origins(List<String> given) {
        if (given == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < given.size(); i++) {
            String origin = given.get(i);
            if (origin == null) {
                continue; // an unset ${VAR}: the loader has already warned about it
            }
            if (origin.strip().equals(ANY_ORIGIN)) {
                out.add(ANY_ORIGIN);
                continue;
            }
            try {
                out.add(normaliseOrigin(origin));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("allowed_origins[" + i + "]: '" + origin + "' is not valid, expected an "
                        + "origin such as http://localhost:3000 or https://app.example.org: " + e.getMessage());
            }
        }
        return out.stream().distinct().toList();
    }

    private static List<String> tokens(String key, List<String> given, List<String> defaults, UnaryOperator<String> casing) {
        if (given == null) {
            return defaults;
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < given.size(); i++) {
            String value = given.get(i);
            if (value == null) {
                continue; // an unset ${VAR}: the loader has already warned about it
            }
            if (!TOKEN.matcher(value.strip()).matches()) {
                throw new IllegalArgumentException(key + "[" + i + "]: '" + value + "' is not valid, expected a single "
                        + (key.equals("allowed_methods") ? "method name such as GET" : "header name such as content-type"));
            }
            out.add(casing.apply(value.strip()));
        }
        return out.stream().distinct().toList();
    }
}
