#include <cstdio>
int main() { std::puts("chat_server: --help"); }
