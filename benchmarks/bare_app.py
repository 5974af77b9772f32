"""The baseline for the start-up benchmark: a minimal Textual app, started the same way."""

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static


class BareApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("BARE-APP-READY")
        yield Footer()


if __name__ == "__main__":
    BareApp().run()
