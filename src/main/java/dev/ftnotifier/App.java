package dev.ftnotifier;
public class App { public static void main(String[] a) {} }
