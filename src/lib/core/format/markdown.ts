/**
 * Escape Markdown syntax (and HTML) in one line of text from data or people,
 * so it cannot become a link, an image, HTML or table structure; line breaks
 * become spaces, so a column name with `|` or a newline stays in its cell.
 * `keepParentheses`: with `[` escaped, `(` cannot open a link, so text full of
 * parenthesised asides (the dataset card) can keep them unescaped.
 */
export function escapeMarkdown(text: string, options: { keepParentheses?: boolean } = {}): string {
  const syntax = options.keepParentheses ? /[\\`*_{}[\]#+!|~]/g : /[\\`*_{}[\]()#+!|~]/g;
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(syntax, (c) => `\\${c}`);
}
