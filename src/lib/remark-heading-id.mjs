/**
 * Stable section ids across languages: a heading written `## Ghost 模块 (#ghost-module)` gets
 * id="ghost-module" and loses the marker. English and Chinese chapters use the same ids, so the
 * language switch can keep the reader on the same section.
 */
const MARKER = /\s*\(#([a-z0-9][a-z0-9-]*)\)\s*$/;

export function remarkHeadingId() {
  return (/** @type {any} */ tree) => {
    const visit = (/** @type {any} */ node) => {
      if (node.type === 'heading') {
        const last = node.children[node.children.length - 1];
        if (last && last.type === 'text') {
          const m = MARKER.exec(last.value);
          if (m) {
            last.value = last.value.slice(0, m.index);
            node.data = node.data ?? {};
            node.data.hProperties = { ...(node.data.hProperties ?? {}), id: m[1] };
          }
        }
      }
      (node.children ?? []).forEach(visit);
    };
    visit(tree);
  };
}
