package io.github.sparkmesos.fetcher.internal;

/** Makes names from archives and URIs safe to print: control characters are escaped. */
final class Names {

    private static final int MAX_DISPLAY = 300;

    private Names() {
    }

    static String display(String name) {
        if (name == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(Math.min(name.length(), MAX_DISPLAY) + 8);
        for (int i = 0; i < name.length(); i++) {
            if (out.length() >= MAX_DISPLAY) {
                out.append("...");
                break;
            }
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
