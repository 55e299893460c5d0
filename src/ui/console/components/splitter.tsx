// The movable area between the text input area and the tabs area. Dragging it (mouse, pen or
// touch: pointer events cover all three) trades height between the chat history above and the
// tabs below; the arrow keys do the same for keyboard users.
import { createSignal } from "solid-js";

const KEY_STEP_PX = 24;

export function Splitter(props: {
  size: number;
  min: number;
  /** Largest size allowed right now; depends on the window, so it is asked for, not passed. */
  max(): number;
  onResize(size: number): void;
  /** The drag or key press is over: the moment to remember the size. */
  onResizeEnd(): void;
  controls: string;
}) {
  const [dragging, setDragging] = createSignal(false);
  let dragStart: { y: number; size: number } | null = null;

  const clamp = (size: number) => Math.round(Math.min(Math.max(size, props.min), Math.max(props.min, props.max())));

  function onPointerDown(event: PointerEvent) {
    if (event.button !== 0) return;
    event.preventDefault();
    (event.currentTarget as HTMLElement).setPointerCapture(event.pointerId);
    dragStart = { y: event.clientY, size: props.size };
    setDragging(true);
  }

  function onPointerMove(event: PointerEvent) {
    // Moving up makes the tabs area (below the splitter) taller.
    if (dragStart) props.onResize(clamp(dragStart.size - (event.clientY - dragStart.y)));
  }

  function onPointerEnd() {
    if (!dragStart) return;
    dragStart = null;
    setDragging(false);
    props.onResizeEnd();
  }

  function onKeyDown(event: KeyboardEvent) {
    const sizes: Record<string, number> = {
      ArrowUp: props.size + KEY_STEP_PX,
      ArrowDown: props.size - KEY_STEP_PX,
      Home: props.max(),
      End: props.min,
    };
    if (!(event.key in sizes)) return;
    event.preventDefault();
    props.onResize(clamp(sizes[event.key]!));
    props.onResizeEnd();
  }

  return (
    <div
      class="splitter"
      classList={{ dragging: dragging() }}
      data-testid="splitter"
      role="separator"
      aria-orientation="horizontal"
      aria-label="Resize the chat history and tabs areas"
      aria-controls={props.controls}
      aria-valuemin={props.min}
      aria-valuemax={Math.max(props.min, Math.round(props.max()))}
      aria-valuenow={props.size}
      tabIndex={0}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerEnd}
      onPointerCancel={onPointerEnd}
      onLostPointerCapture={onPointerEnd}
      onKeyDown={onKeyDown}
    >
      <span class="splitter-grip" aria-hidden="true" />
    </div>
  );
}
