#pragma once
// Text from outside (a value quoted from a file, a command-line argument) put into a one-line
// message: control characters are written as escapes ("\n", "\r", "\t", "\x1b"), so a message
// that promises one problem per line keeps it, and no input can forge a line of its own or send
// terminal escape sequences. Pure function; thread-safe.

#include <string>
#include <string_view>

namespace osprey {

std::string OneLine(std::string_view text);

}  // namespace osprey
