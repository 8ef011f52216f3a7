// @ts-check
/**
 * Builds elements from data. Text is always set as text, never parsed as HTML: application
 * names, reasons and messages are what callers submitted.
 */

/** @typedef {string | number | Node | null | undefined | false} Child */

/**
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, string | number | boolean | undefined>} [attributes]
 * @param {...(Child | Child[])} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag)
  setAttributes(element, attributes)
  append(element, children)
  return element
}

const SVG = 'http://www.w3.org/2000/svg'
/**
 * @param {string} tag
 * @param {Record<string, string | number | boolean | undefined>} [attributes]
 * @param {...(Child | Child[])} children
 * @returns {SVGElement}
 */
export function s(tag, attributes = {}, ...children) {
  const element = /** @type {SVGElement} */ (document.createElementNS(SVG, tag))
  setAttributes(element, attributes)
  append(element, children)
  return element
}

/**
 * @param {Element} element
 * @param {Record<string, string | number | boolean | undefined>} attributes
 */
function setAttributes(element, attributes) {
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue
    element.setAttribute(name, value === true ? '' : String(value))
  }
}

/**
 * @param {Element} element
 * @param {(Child | Child[])[]} children
 */
function append(element, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue
    element.append(typeof child === 'number' ? String(child) : child)
  }
}

/**
 * Replaces what a container shows.
 * @param {Element} container
 * @param {...(Child | Child[])} children
 */
export function show(container, ...children) {
  container.replaceChildren()
  append(container, children)
}

/**
 * A definition list from label/value pairs; pairs without a value are left out.
 * @param {[string, Child | Child[], string?][]} pairs  label, value and an optional data-field name
 * @param {Record<string, string>} [attributes]
 */
export function definitions(pairs, attributes = {}) {
  return h(
    'dl',
    attributes,
    pairs
      .filter(([, value]) => value !== null && value !== undefined && value !== false)
      .map(([label, value, field]) =>
        h('div', {}, h('dt', {}, label), h('dd', { 'data-field': field }, value)),
      ),
  )
}

/**
 * A table with a caption and a header row.
 * @param {string} caption
 * @param {string[]} headers
 * @param {(Child | Child[])[][]} rows
 * @param {Record<string, string>} [attributes]
 */
export function table(caption, headers, rows, attributes = {}) {
  return h(
    'table',
    attributes,
    h('caption', {}, caption),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        headers.map((header) => h('th', { scope: 'col' }, header)),
      ),
    ),
    h(
      'tbody',
      {},
      rows.map((cells) =>
        h(
          'tr',
          {},
          cells.map((cell, i) => (i === 0 ? h('th', { scope: 'row' }, cell) : h('td', {}, cell))),
        ),
      ),
    ),
  )
}

/**
 * A wide table that scrolls sideways on a narrow screen instead of widening the page; the
 * scrolling region can be reached and scrolled with the keyboard.
 * @param {HTMLTableElement} wide
 * @param {string} label
 */
export function scrollable(wide, label) {
  return h('div', { class: 'table-scroll', tabindex: 0, role: 'region', 'aria-label': label }, wide)
}
