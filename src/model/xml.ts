/**
 * Escaping of text for XML and HTML element content and double-quoted attribute values
 * (FrameworkJobReports, JUnit reports, the HTML run report).
 */

/** Replace `&`, `<`, `>` and `"` by their entities. */
export function escapeXml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}
