'use strict';
// Names for the Django admin's own widgets that screen readers would otherwise meet unnamed (WCAG 2.2 AA,
// axe-core in tests/browser/): loaded on every admin page by templates/admin/base_site.html.
// - the magnifier icon of a two-box selector (filter_horizontal) carries an aria-label: it gets role="img";
// - an autocomplete box (select2) is named after its field's label; a multiple one offers no "clear all"
//   cross, which select2 puts among the chosen items of its list (each item keeps its own cross);
// - an input in a table (a tabular inline, a list's editable column) is named "<column>: <row>".
{
    const clean = (text) => (text || '').replace(/\s+/g, ' ').replace(/[:：]\s*$/, '').trim();

    const labelOf = (element) => {
        const label = element.id && document.querySelector(`label[for="${CSS.escape(element.id)}"]`);
        return label ? clean(label.textContent) : '';
    };

    const named = (element) => element.labels.length > 0 || element.hasAttribute('aria-label') ||
        element.hasAttribute('aria-labelledby') || element.hasAttribute('title');

    const setName = (element, name) => {
        if (name && element.getAttribute('aria-label') !== name) {
            element.setAttribute('aria-label', name);
        }
    };

    const columnName = (cell) => {
        const column = Array.from(cell.classList).find((name) => name.startsWith('field-'));
        const table = cell.closest('table');
        if (!table || !table.tHead) {
            return '';
        }
        // A field's column by its class; the inline's "Delete?" column by its place.
        const header = (column && table.tHead.querySelector(`th.column-${CSS.escape(column.slice(6))}`)) ||
            table.tHead.rows[0].cells[cell.cellIndex];
        return header ? clean((header.querySelector('.text') || header).textContent).replace(/\?$/, '') : '';
    };

    // The date and the time box of a date-and-time field: "Date:" and "Time:" before them are text, not labels.
    const nameDateTimeParts = (root) => {
        root.querySelectorAll('p.datetime input:not([type="hidden"])').forEach((input) => {
            if (named(input) && input.dataset.a11yNamed !== 'datetime') {
                return;
            }
            let text = input.previousSibling;
            while (text && text.nodeType !== Node.TEXT_NODE) {
                text = text.previousSibling;
            }
            const part = clean(text && text.textContent);
            const row = input.closest('.form-row, .fieldBox');
            const label = row && row.querySelector('label');
            const cell = input.closest('td');
            const field = label ? clean(label.textContent) : (cell ? columnName(cell) : '');
            if (field && part) {
                input.dataset.a11yNamed = 'datetime';
                setName(input, cell && cell.closest('tr') ? `${field} (${part}): ${rowName(cell.closest('tr'))}`
                    : `${field}: ${part}`);
            }
        });
    };

    const rowName = (row) => {
        const heading = row.querySelector('th');  // a list's link column
        const original = row.querySelector('td.original p');  // a saved inline row
        const text = clean((heading || original || {}).textContent);
        if (text) {
            return text;
        }
        const rows = Array.from(row.parentElement.children).filter((r) => r.matches('tr.form-row:not(.empty-form)'));
        return `#${rows.indexOf(row) + 1}`;
    };

    const nameTableInputs = (root) => {
        root.querySelectorAll('#result_list td input, #result_list td select, #result_list td textarea, ' +
                              '.tabular td input, .tabular td select, .tabular td textarea').forEach((input) => {
            if (input.type === 'hidden' || (named(input) && input.dataset.a11yNamed !== 'table')) {
                return;
            }
            const cell = input.closest('td');
            const row = input.closest('tr');
            const column = columnName(cell);
            if (column && row) {
                input.dataset.a11yNamed = 'table';
                setName(input, `${column}: ${rowName(row)}`);
            }
        });
    };

    const nameWidgets = (root) => {
        root.querySelectorAll('span.search-label-icon[aria-label]:not([role])').forEach((icon) => {
            icon.setAttribute('role', 'img');
        });
        root.querySelectorAll('select.admin-autocomplete').forEach((select) => {
            const container = select.nextElementSibling;
            if (!container || !container.classList.contains('select2')) {
                return;
            }
            const name = labelOf(select) || select.getAttribute('aria-label');
            container.querySelectorAll('.select2-selection[role="combobox"], .select2-search__field').forEach(
                (part) => setName(part, name));
            // A single box's combobox is labelled by the box showing the choice: "<field>: <choice>".
            container.querySelectorAll('.select2-selection__rendered[role="textbox"]').forEach((shown) => {
                const choice = clean(shown.getAttribute('title') || '');
                setName(shown, choice ? `${name}: ${choice}` : name);
            });
        });
        nameDateTimeParts(root);
        nameTableInputs(root);
    };

    // Before the admin starts select2 (on DOMContentLoaded): no "clear all" cross inside a multiple box's list.
    document.querySelectorAll('select.admin-autocomplete[multiple]').forEach((select) => {
        select.dataset.allowClear = 'false';
    });

    let pending = false;
    const observer = new MutationObserver(() => {
        if (!pending) {
            pending = true;
            window.requestAnimationFrame(() => {
                pending = false;
                nameWidgets(document);
            });
        }
    });
    const start = () => {
        nameWidgets(document);
        observer.observe(document.body, {childList: true, subtree: true});
    };
    if (document.readyState === 'loading') {
        document.addEventListener('DOMContentLoaded', start);
    } else {
        start();
    }
    window.addEventListener('load', () => nameWidgets(document));
}
