def div(a, b): return a / b
def power(a, b): return a // b
