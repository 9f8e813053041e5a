"""Tests of the Microsoft Teams adapter."""
