// Jest setup provided by Grafana scaffolding
import './.config/jest-setup';

// @grafana/ui's MultiCombobox sizes itself with canvas measureText; jsdom has no canvas (the scaffold stubs
// getContext to return nothing), so give it a context that measures text as 8px per character.
HTMLCanvasElement.prototype.getContext = () => ({ measureText: (text) => ({ width: text.length * 8 }) });

// The combobox menus observe scrolling and size; jsdom implements neither observer.
class NoopObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
  takeRecords() {
    return [];
  }
}
global.IntersectionObserver = NoopObserver;
global.ResizeObserver = global.ResizeObserver ?? NoopObserver;
