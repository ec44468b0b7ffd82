"""The hostile-input contract (issue #13): every command over every capture, crafted or committed."""
